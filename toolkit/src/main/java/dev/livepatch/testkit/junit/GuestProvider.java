package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.vm.Guest;
import java.util.Optional;
import org.apiguardian.api.API;

/** Where {@link LivepatchTest} classes get their guests. Implementations need a public no-argument constructor. */
@API(status = STABLE, since = "0.1")
public interface GuestProvider {

    /** Why no guest can start on this machine (e.g. a missing QEMU), or empty when guests can start. */
    Optional<String> unavailableReason();

    /** Starts a guest; the caller closes it. */
    StartedGuest start(GuestRequest request);

    /** The livepatch API for a guest this provider started. */
    default Livepatches livepatches(Guest guest) {
        return Livepatches.on(guest.shell());
    }
}
