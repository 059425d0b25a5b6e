package dev.livepatch.testkit.progress;

import java.util.function.Consumer;

/** Hands each note to a consumer, one at a time; steps are not shown. */
record NotesProgress(Consumer<String> notes) implements Progress {
    @Override
    public Step start(String what) {
        return SilentProgress.INSTANCE.start(what);
    }

    @Override
    public synchronized void note(String message) {
        notes.accept(message);
    }
}
