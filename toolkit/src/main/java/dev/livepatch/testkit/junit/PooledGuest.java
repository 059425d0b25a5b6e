package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.GuestHungException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest for one request (provider, kernel, image, machine), shared through the {@link GuestPool} by every test
 * class that asks for it. A guest that failed to start is remembered too, so that the other tests asking for it
 * fail at once instead of booting again. A guest whose QEMU is gone (killed, or stopped by the test that ran) is
 * replaced before the next test, so that only the test that was running fails.
 */
final class PooledGuest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledGuest.class);

    private final GuestProvider provider;
    private final GuestRequest request;
    private StartedGuest started;
    private RuntimeException failure;
    private final Map<Path, PatchModules> patchModules = new HashMap<>();
    private boolean handedOut;
    private boolean changed;

    /** The guest fresh from its snapshot, as every reset leaves it; read for classes that reset only when changed. */
    private GuestFingerprint fresh;

    private PooledGuest(GuestProvider provider, GuestRequest request, StartedGuest started, RuntimeException failure) {
        this.provider = provider;
        this.request = request;
        this.started = started;
        this.failure = failure;
    }

    static PooledGuest start(GuestProvider provider, GuestRequest request) {
        try {
            return new PooledGuest(provider, request, provider.start(request), null);
        } catch (RuntimeException e) {
            return new PooledGuest(provider, request, null, e);
        }
    }

    synchronized StartedGuest started() {
        if (failure != null) {
            throw new ExtensionConfigurationException(
                    "Could not start a guest (" + request + "): " + failure.getMessage(), failure);
        }
        return started;
    }

    synchronized boolean isUp() {
        return started != null;
    }

    Guest guest() {
        return started().guest();
    }

    /** The guest, for a test or lifecycle method that changes it; the next test then starts from the snapshot. */
    synchronized Guest handOut() {
        Guest guest = guest();
        handedOut = true;
        return guest;
    }

    Livepatches livepatches() {
        return provider.livepatches(guest());
    }

    Livepatches handOutLivepatches() {
        return provider.livepatches(handOut());
    }

    /** The modules of {@code patchesDir} built for this guest's kernel; classes sharing the guest share them. */
    synchronized PatchModules patchModules(Path patchesDir) {
        return patchModules.computeIfAbsent(
                patchesDir,
                dir -> new KernelPatchModules(
                        started().kernel(), dir, () -> ModuleBuilders.standard(Progress.console())));
    }

    /**
     * Restores the boot snapshot unless the guest is fresh from it or, as {@code reset} allows, unchanged since; a
     * guest that is no longer running, that has no snapshot to restore or that did not answer after its reset is
     * replaced by a new one, which the returned notice announces.
     */
    synchronized Optional<String> prepareForTest(LivepatchTest.Reset reset) {
        Guest guest = guest();
        if (!guest.isRunning()) {
            fresh = null;
            Optional<String> notice = Optional.of(replace(guest));
            recordFresh(reset);
            return notice;
        }
        if (handedOut && !unchanged(guest, reset)) {
            if (!guest.canReset()) {
                fresh = null;
                changed = false;
                return Optional.of(restart(guest));
            }
            try {
                guest.reset();
            } catch (GuestHungException e) {
                fresh = null;
                changed = false;
                return Optional.of(replaceHung(guest, e));
            }
            handedOut = false;
        }
        recordFresh(reset);
        handedOut = true;
        changed = false;
        return Optional.empty();
    }

    /** The test that ran failed: whatever it left, the next one starts from the snapshot. */
    synchronized void changed() {
        changed = true;
    }

    private boolean unchanged(Guest guest, LivepatchTest.Reset reset) {
        if (reset != LivepatchTest.Reset.WHEN_CHANGED || changed || fresh == null) {
            return false;
        }
        GuestFingerprint now = GuestFingerprint.of(guest.shell());
        if (now.equals(fresh)) {
            return true;
        }
        LOG.info("{}: reset, the test left the guest changed: {}", guest.id(), fresh.differences(now));
        return false;
    }

    /** A guest fresh from its snapshot, the first time a class that resets only when changed runs on it. */
    private void recordFresh(LivepatchTest.Reset reset) {
        if (reset == LivepatchTest.Reset.WHEN_CHANGED && fresh == null && !handedOut) {
            fresh = GuestFingerprint.of(guest().shell());
        }
    }

    private String replace(Guest gone) {
        return startAnew(
                gone,
                "Guest " + gone.id() + " stopped during an earlier test",
                "Guest " + gone.id() + " had stopped (its QEMU process is gone): the next tests run on a new guest, ");
    }

    /** A guest that a reset did not bring back is replaced by a new one, from the same snapshot. */
    private String replaceHung(Guest hung, GuestHungException failure) {
        LOG.warn("{}", failure.getMessage());
        String why = "Guest " + hung.id() + " did not answer after its reset";
        return startAnew(hung, why, why + " (the log says why): the next tests run on a new guest, ");
    }

    /** A guest that has no boot snapshot to restore is replaced by a new one, booted cold. */
    private String restart(Guest used) {
        String why = "Guest " + used.id() + " has no boot snapshot to restore";
        return startAnew(used, why, why + ": the next test runs on a new guest, ");
    }

    private String startAnew(Guest old, String why, String notice) {
        old.close();
        started = null;
        try {
            started = provider.start(request);
        } catch (RuntimeException e) {
            failure = e;
            throw new ExtensionConfigurationException(
                    why + ", and a new guest (" + request + ") could not start: " + e.getMessage(), e);
        }
        handedOut = true;
        return notice + started.guest().id();
    }

    @Override
    public synchronized void close() {
        if (started != null) {
            started.guest().close();
        }
    }
}
