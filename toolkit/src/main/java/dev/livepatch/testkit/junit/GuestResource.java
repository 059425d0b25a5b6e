package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;

/** One test class's guest, kept in the JUnit store and closed (QEMU stopped) when the class is done. */
final class GuestResource implements AutoCloseable {
    private final Kernel kernel;
    private final GuestImage image;
    private final Guest guest;
    private boolean pristine = true;

    private GuestResource(Kernel kernel, GuestImage image, Guest guest) {
        this.kernel = kernel;
        this.image = image;
        this.guest = guest;
    }

    static GuestResource start(LivepatchTest settings) {
        String spec = settings.kernel().isEmpty() ? Settings.KERNEL.get() : settings.kernel();
        String recipe = settings.image().isEmpty() ? Settings.IMAGE.get() : settings.image();
        Kernel kernel = Kernels.resolve(spec, Cache.standard(), Progress.silent());
        GuestImage image = GuestImages.standard(Progress.silent()).build(recipe, kernel);
        Guest guest =
                Guests.start(kernel, image, new Machine(settings.cpus(), settings.memoryMib()), Progress.silent());
        return new GuestResource(kernel, image, guest);
    }

    /** Restores the boot snapshot unless nothing ran since the guest started. */
    void makePristine() {
        if (!pristine) {
            guest.reset();
        }
        pristine = false;
    }

    Kernel kernel() {
        return kernel;
    }

    GuestImage image() {
        return image;
    }

    Guest guest() {
        return guest;
    }

    @Override
    public void close() {
        guest.close();
    }
}
