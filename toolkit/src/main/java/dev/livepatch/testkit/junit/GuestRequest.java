package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.vm.Machine;

/**
 * The guest a test class asks for.
 *
 * @param kernel the kernel spec, e.g. {@code debian}
 * @param image the guest image recipe, e.g. {@code minimal}
 * @param machine the virtual hardware
 */
public record GuestRequest(String kernel, String image, Machine machine) {

    @Override
    public String toString() {
        return "kernel '" + kernel + "', image '" + image + "', " + machine.cpus() + " CPU(s), " + machine.memoryMib()
                + " MiB";
    }
}
