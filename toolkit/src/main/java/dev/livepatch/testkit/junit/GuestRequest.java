package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.vm.Machine;
import org.apiguardian.api.API;

/**
 * The guest a test class asks for.
 *
 * @param kernel the kernel spec, e.g. {@code debian}
 * @param image the guest image recipe, e.g. {@code minimal}
 * @param machine the virtual hardware
 */
@API(status = STABLE, since = "0.1")
public record GuestRequest(String kernel, String image, Machine machine) {

    @Override
    public String toString() {
        return "kernel '" + kernel + "', image '" + image + "', " + machine.cpus() + " CPU(s), " + machine.memoryMib()
                + " MiB";
    }
}
