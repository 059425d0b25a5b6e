package dev.livepatch.testkit.progress;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.function.Consumer;
import org.apiguardian.api.API;

/** Where long steps (downloads, boots, builds) report what they are doing, and whether each one worked. */
@API(status = STABLE, since = "0.1")
public interface Progress {
    /** A step starts; the caller must end it with {@link Step#succeeded()} or {@link Step#failed(String)}. */
    Step start(String what);

    /** A one-off notice, e.g. "KVM unusable, using TCG". */
    void note(String message);

    /**
     * Runs {@code work} as one step: shown succeeded when it returns, failed (with the error's first line) when it
     * throws, so a step that did not finish is never shown as done.
     */
    default <T, X extends Exception> T step(String what, StepWork<T, X> work) throws X {
        Step step = start(what);
        T result;
        try {
            result = work.run(step);
        } catch (Exception | Error e) {
            step.failed(reason(e));
            throw e;
        }
        step.succeeded();
        return result;
    }

    /** Like {@link #step(String, StepWork)} for work without a result. */
    default <X extends Exception> void run(String what, VoidStepWork<X> work) throws X {
        step(what, step -> {
            work.run(step);
            return null;
        });
    }

    static Progress silent() {
        return SilentProgress.INSTANCE;
    }

    /** Notes go to {@code notes}, one at a time; steps are not shown (to report what a check found, or in tests). */
    static Progress notesTo(Consumer<String> notes) {
        return new NotesProgress(notes);
    }

    static Progress console() {
        return new ConsoleProgress(System.err);
    }

    /** The first line of an error's message, or its type when it has none. */
    static String reason(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    /** A running step. */
    interface Step {
        /** Updates the step's detail, e.g. bytes downloaded. */
        void update(String detail);

        void succeeded();

        void failed(String reason);
    }

    @FunctionalInterface
    interface StepWork<T, X extends Exception> {
        T run(Step step) throws X;
    }

    @FunctionalInterface
    interface VoidStepWork<X extends Exception> {
        void run(Step step) throws X;
    }
}
