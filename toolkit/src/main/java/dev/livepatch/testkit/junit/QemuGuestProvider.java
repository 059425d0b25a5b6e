package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.GuestPlan;
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
        GuestPlan.Prepared prepared =
                new GuestPlan(request.kernel(), request.image(), request.machine()).prepare(progress);
        return new StartedGuest(prepared.start(progress), prepared.kernel(), prepared.image());
    }
}
