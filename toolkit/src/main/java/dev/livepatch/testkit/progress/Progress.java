package dev.livepatch.testkit.progress;

/** Where long steps (downloads, boots, builds) report what they are doing. */
public interface Progress {
    /** A step starts; the returned handle ends it. */
    Step start(String what);

    /** A one-off notice, e.g. "KVM unusable, using TCG". */
    void note(String message);

    static Progress silent() {
        return SilentProgress.INSTANCE;
    }

    static Progress console() {
        return new ConsoleProgress(System.err);
    }

    interface Step extends AutoCloseable {
        /** Updates the step's detail, e.g. bytes downloaded. */
        void update(String detail);

        @Override
        void close();
    }
}
