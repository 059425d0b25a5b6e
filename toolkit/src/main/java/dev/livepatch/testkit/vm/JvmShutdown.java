package dev.livepatch.testkit.vm;

/** Whether this JVM is shutting down (a signal such as SIGTERM or Ctrl-C, or {@code System.exit}). */
final class JvmShutdown {
    private JvmShutdown() {}

    /**
     * True once the shutdown hooks run. The JVM has no query for it, but refuses new hooks from then on; a flag set
     * by a hook of our own would not do, because hooks run concurrently and the one stopping QEMU may come first.
     */
    static boolean inProgress() {
        Thread probe = new Thread(() -> {}, "lpt-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
