package dev.livepatch.testkit.cache;

import dev.livepatch.testkit.progress.Progress;
import java.util.List;

/** Keeps the notes it is given; steps go nowhere. */
record RecordingProgress(List<String> notes) implements Progress {
    @Override
    public Step start(String what) {
        return Progress.silent().start(what);
    }

    @Override
    public synchronized void note(String message) {
        notes.add(message);
    }
}
