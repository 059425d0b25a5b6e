package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.vm.Guest;

/**
 * A guest a {@link GuestProvider} started, with what it runs.
 *
 * @param guest the running guest
 * @param kernel the kernel it booted, which patches are built against
 * @param image the guest image it runs
 */
public record StartedGuest(Guest guest, Kernel kernel, GuestImage image) {}
