package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The guest for one request (provider, kernel, image, machine), shared through the {@link GuestPool} by every test
 * class that asks for it. A guest that failed to start is remembered too, so that the other tests asking for it
 * fail at once instead of booting again.
 */
final class PooledGuest implements AutoCloseable {
    private final GuestProvider provider;
    private final GuestRequest request;
    private final StartedGuest started;
    private final RuntimeException failure;
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

    StartedGuest started() {
        if (failure != null) {
            throw new ExtensionConfigurationException(
                    "Could not start a guest (" + request + "): " + failure.getMessage(), failure);
        }
        return started;
    }

    boolean isUp() {
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

    /** Restores the boot snapshot unless the guest is fresh from it. */
    synchronized void prepareForTest() {
        Guest guest = guest();
        if (handedOut) {
            guest.reset();
        }
        handedOut = true;
    }

    @Override
    public void close() {
        if (started != null) {
            started.guest().close();
        }
    }
}
