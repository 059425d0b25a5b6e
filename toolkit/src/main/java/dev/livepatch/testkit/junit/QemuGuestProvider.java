package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.GuestPlan;
import java.util.Optional;

/** QEMU guests: the kernel and image are resolved (and cached) first, then the guest starts from its snapshot. */
final class QemuGuestProvider implements GuestProvider {
    /** The emulator of the run's architecture ({@link Settings#ARCH}) must be here. */
    @Override
    public Optional<String> unavailableReason() {
        Arch.Qemu qemu = Settings.ARCH.get().qemu();
        HostPrograms programs = HostPrograms.declared();
        boolean found = programs.find(qemu.binary()).flatMap(programs::locate).isPresent();
        return found
                ? Optional.empty()
                : Optional.of(qemu.binary() + " is not on the PATH (install it, e.g. apt-get install "
                        + qemu.debianPackage() + ")");
    }

    @Override
    public StartedGuest start(GuestRequest request) {
        Progress progress = Progress.console();
        GuestPlan.Prepared prepared =
                new GuestPlan(request.kernel(), request.image(), request.machine()).prepare(progress);
        return new StartedGuest(prepared.start(progress), prepared.kernel(), prepared.image());
    }
}
