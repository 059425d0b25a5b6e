package dev.livepatch.testkit.vm;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The guests this JVM has not closed yet; a shutdown hook closes them (QEMU stopped, run folder deleted). */
final class OpenGuests {
    private static final Set<Guest> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(OpenGuests::closeAll, "lpt-guests-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private OpenGuests() {}

    static void add(Guest guest) {
        OPEN.add(guest);
    }

    static void remove(Guest guest) {
        OPEN.remove(guest);
    }

    private static void closeAll() {
        for (Guest guest : List.copyOf(OPEN)) {
            try {
                guest.close();
            } catch (RuntimeException ignored) {
                // The JVM is exiting: close the others regardless.
            }
        }
    }
}
