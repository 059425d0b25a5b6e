package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The guest a scenario ran in, as a reproducer needs it.
 *
 * @param kernelOptions the command-line options naming that exact kernel, e.g. {@code --kernel debian:6.1.0-56-amd64}
 * @param kernel the kernel release and where it came from
 * @param image the image recipe
 * @param cpus virtual CPUs
 * @param memoryMib guest memory
 * @param accelerator {@code kvm} or {@code tcg}
 */
@API(status = INTERNAL, since = "0.1")
public record GuestSetup(
        List<String> kernelOptions, String kernel, String image, int cpus, int memoryMib, String accelerator) {

    public GuestSetup {
        kernelOptions = List.copyOf(kernelOptions);
    }

    public String describe() {
        return "kernel " + kernel + ", image " + image + ", " + cpus + (cpus == 1 ? " CPU, " : " CPUs, ") + memoryMib
                + " MiB, " + accelerator;
    }
}
