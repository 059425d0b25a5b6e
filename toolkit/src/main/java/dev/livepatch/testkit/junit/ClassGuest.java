package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The guest of one test class, kept in the class's JUnit store so that JUnit closes it after the last test. A
 * guest that failed to start is remembered too, so the class's other tests fail at once instead of booting again.
 */
final class ClassGuest implements AutoCloseable {
    private final GuestProvider provider;
    private final GuestRequest request;
    private final Guest guest;
    private final RuntimeException failure;
    private boolean handedOut;

    private ClassGuest(GuestProvider provider, GuestRequest request, Guest guest, RuntimeException failure) {
        this.provider = provider;
        this.request = request;
        this.guest = guest;
        this.failure = failure;
    }

    static ClassGuest start(GuestProvider provider, GuestRequest request) {
        try {
            return new ClassGuest(provider, request, provider.start(request), null);
        } catch (RuntimeException e) {
            return new ClassGuest(provider, request, null, e);
        }
    }

    /** The guest, for a test or lifecycle method that changes it; the next test then starts from the snapshot. */
    synchronized Guest handOut() {
        Guest current = guest();
        handedOut = true;
        return current;
    }

    Guest guest() {
        if (failure != null) {
            throw new ExtensionConfigurationException(
                    "Could not start a guest (" + request + "): " + failure.getMessage(), failure);
        }
        return guest;
    }

    boolean started() {
        return guest != null;
    }

    Livepatches livepatches() {
        return provider.livepatches(guest());
    }

    Livepatches handOutLivepatches() {
        return provider.livepatches(handOut());
    }

    /** Restores the boot snapshot unless the guest is fresh from it. */
    synchronized void prepareForTest() {
        Guest current = guest();
        if (handedOut) {
            current.reset();
        }
        handedOut = true;
    }

    @Override
    public void close() {
        if (guest != null) {
            guest.close();
        }
    }
}
