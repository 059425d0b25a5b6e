package dev.livepatch.testkit.image;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A bootable guest root filesystem (an initramfs) with the keys to reach it.
 *
 * @param name the recipe name, e.g. {@code minimal} or {@code selftest}
 * @param id a content hash of everything that went into the image (recipe, packages, kernel, keys)
 * @param kernelRelease the kernel whose modules the image carries
 * @param initramfs the cpio newc archive passed to QEMU as {@code -initrd}
 * @param userPrivateKey the OpenSSH private key (mode 0600) accepted for {@code root} in the guest
 * @param hostKey the guest's SSH host public key in OpenSSH form ({@code ssh-ed25519 AAAA...}), pinned by the client
 * @param kernelArguments extra kernel command-line arguments the image needs
 */
@API(status = STABLE, since = "0.1")
public record GuestImage(
        String name,
        String id,
        String kernelRelease,
        Path initramfs,
        Path userPrivateKey,
        String hostKey,
        String kernelArguments) {}
