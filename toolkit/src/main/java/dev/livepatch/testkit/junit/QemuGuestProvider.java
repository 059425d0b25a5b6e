package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guests;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** QEMU guests: the kernel and image are resolved (and cached) first, then the guest starts from its snapshot. */
final class QemuGuestProvider implements GuestProvider {
    private static final String QEMU = "qemu-system-x86_64";

    @Override
    public Optional<String> unavailableReason() {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = Arrays.stream(path.split(File.pathSeparator))
                .filter(folder -> !folder.isBlank())
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, QEMU)));
        return found
                ? Optional.empty()
                : Optional.of(QEMU + " is not on the PATH (install it, e.g. apt-get install qemu-system-x86)");
    }

    @Override
    public StartedGuest start(GuestRequest request) {
        Progress progress = Progress.console();
        Kernel kernel = Kernels.resolve(request.kernel(), Cache.standard(), progress);
        GuestImage image = GuestImages.standard(progress).build(request.image(), kernel);
        return new StartedGuest(Guests.start(kernel, image, request.machine(), progress), kernel, image);
    }
}
