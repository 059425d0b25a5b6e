package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a guest runs, and the one way from it to a running guest, for the command line and the JUnit extension alike:
 * the kernel spec is resolved, the image built for that kernel (both cached), then the guest starts from its boot
 * snapshot.
 *
 * @param kernel a kernel spec ({@code debian}, {@code debian:<suite>}, {@code debian:<abi>} or a build tree)
 * @param arch the architecture the kernel is made for; the image and the emulator follow the kernel's
 * @param image a guest image recipe name
 * @param machine virtual CPUs and memory
 */
@API(status = STABLE, since = "0.1")
public record GuestPlan(String kernel, Arch arch, String image, Machine machine) {
    public GuestPlan {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(machine, "machine");
    }

    /** A plan for the architecture of {@link Settings#ARCH}. */
    public GuestPlan(String kernel, String image, Machine machine) {
        this(kernel, Settings.ARCH.get(), image, machine);
    }

    /** Resolves the kernel and builds the image. */
    public Prepared prepare(Progress progress) {
        Kernel resolved = Kernels.resolve(KernelSpec.parse(kernel), arch, Cache.standard(), progress);
        return new Prepared(resolved, GuestImages.standard(progress).build(image, resolved), machine);
    }

    /** A plan whose kernel and image are ready. */
    public record Prepared(Kernel kernel, GuestImage image, Machine machine) {
        /** Starts the guest (from its boot snapshot, made by a first cold boot); the caller closes it. */
        public Guest start(Progress progress) {
            return Guests.start(kernel, image, machine, progress);
        }
    }
}
