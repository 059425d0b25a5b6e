package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.FakeKernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.vm.Guest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Guests over fake kernels; remembers what it was asked for and what it started, for the test to inspect. */
public class FakeGuestProvider implements GuestProvider {
    static final List<GuestRequest> REQUESTS = new CopyOnWriteArrayList<>();
    static final List<FakeGuest> STARTED = new CopyOnWriteArrayList<>();
    static final List<String> CLOSE_ORDER = new CopyOnWriteArrayList<>();
    /** The boot timeout each start saw: a setting read where the toolkit reads it, not by the extension. */
    static final List<Duration> BOOT_TIMEOUTS = new CopyOnWriteArrayList<>();

    static void forget() {
        REQUESTS.clear();
        STARTED.clear();
        CLOSE_ORDER.clear();
        BOOT_TIMEOUTS.clear();
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public StartedGuest start(GuestRequest request) {
        REQUESTS.add(request);
        BOOT_TIMEOUTS.add(Settings.BOOT_TIMEOUT.get());
        try {
            Path folder = Files.createTempDirectory("lpt-fake-guest-");
            FakeGuest guest = new FakeGuest("fake-" + STARTED.size(), new FakeKernel(folder), request.machine());
            STARTED.add(guest);
            Kernel kernel = new Kernel(
                    "6.1.0-fake",
                    folder.resolve("vmlinuz"),
                    folder.resolve("config"),
                    folder.resolve("modules"),
                    folder.resolve("build"),
                    "gcc-12",
                    "fake " + request.kernel());
            GuestImage image = new GuestImage(
                    request.image(),
                    "fake",
                    "6.1.0-fake",
                    folder.resolve("initramfs.cpio"),
                    folder.resolve("id_ed25519"),
                    "ssh-ed25519 AAAA",
                    "");
            return new StartedGuest(guest, kernel, image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Livepatches livepatches(Guest guest) {
        return ((FakeGuest) guest).kernel().livepatches();
    }

    /** A machine without the means to run guests. */
    public static class Unavailable extends FakeGuestProvider {
        @Override
        public Optional<String> unavailableReason() {
            return Optional.of("fake-qemu is not installed");
        }
    }

    /** Guests that never come up. */
    public static class Broken extends FakeGuestProvider {
        @Override
        public StartedGuest start(GuestRequest request) {
            REQUESTS.add(request);
            throw new IllegalStateException("the fake firmware hung");
        }
    }
}
