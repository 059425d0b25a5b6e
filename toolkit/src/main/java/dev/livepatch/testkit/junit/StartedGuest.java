package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.vm.Guest;
import org.apiguardian.api.API;

/**
 * A guest a {@link GuestProvider} started, with what it runs.
 *
 * @param guest the running guest
 * @param kernel the kernel it booted, which patches are built against
 * @param image the guest image it runs
 */
@API(status = STABLE, since = "0.1")
public record StartedGuest(Guest guest, Kernel kernel, GuestImage image) {}
