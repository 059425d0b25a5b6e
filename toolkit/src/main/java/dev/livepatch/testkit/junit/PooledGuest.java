package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The guest for one request (provider, kernel, image, machine), shared through the {@link GuestPool} by every test
 * class that asks for it. A guest that failed to start is remembered too, so that the other tests asking for it
 * fail at once instead of booting again. A guest whose QEMU is gone (killed, or stopped by the test that ran) is
 * replaced before the next test, so that only the test that was running fails.
 */
final class PooledGuest implements AutoCloseable {
    private final GuestProvider provider;
    private final GuestRequest request;
    private StartedGuest started;
    private RuntimeException failure;
    private final Map<Path, PatchModules> patchModules = new HashMap<>();
    private boolean handedOut;

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
     * Restores the boot snapshot unless the guest is fresh from it; a guest that is no longer running is replaced by
     * a new one, which the returned notice announces.
     */
    synchronized Optional<String> prepareForTest() {
        Guest guest = guest();
        if (!guest.isRunning()) {
            return Optional.of(replace(guest));
        }
        if (handedOut) {
            guest.reset();
        }
        handedOut = true;
        return Optional.empty();
    }

    private String replace(Guest gone) {
        gone.close();
        started = null;
        try {
            started = provider.start(request);
        } catch (RuntimeException e) {
            failure = e;
            throw new ExtensionConfigurationException(
                    "Guest " + gone.id() + " stopped during an earlier test, and a new guest (" + request
                            + ") could not start: " + e.getMessage(),
                    e);
        }
        handedOut = true;
        return "Guest " + gone.id() + " had stopped (its QEMU process is gone): the next tests run on a new guest, "
                + started.guest().id();
    }

    @Override
    public synchronized void close() {
        if (started != null) {
            started.guest().close();
        }
    }
}
