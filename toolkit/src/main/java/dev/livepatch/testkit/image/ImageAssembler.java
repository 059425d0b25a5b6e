package dev.livepatch.testkit.image;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.guest.GuestLibrary;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.ModuleFiles;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.ssh.SshKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Lays out an image's root filesystem: packages, libraries, kernel modules, keys and the recipe's files. */
final class ImageAssembler {
    static final String MODULE_LIST = "etc/testkit/modules";
    static final String HOST_KEY = "etc/dropbear/dropbear_ed25519_host_key";

    private final Initramfs image = new Initramfs();
    private final Map<String, Path> elfFiles = new LinkedHashMap<>();
    private final Arch arch;
    private final Optional<Path> hostBusybox;

    /** An image of this host's architecture. */
    ImageAssembler() {
        this(Arch.host(), Optional.empty());
    }

    /**
     * An image of {@code arch}; {@code hostBusybox}, the same busybox built for this host, lists the applets of an
     * image whose own busybox cannot run here.
     */
    ImageAssembler(Arch arch, Optional<Path> hostBusybox) {
        this.arch = arch;
        this.hostBusybox = hostBusybox;
    }

    Initramfs assemble(
            ImageRecipe recipe,
            List<PackageFiles> requested,
            List<PackageFiles> all,
            Kernel kernel,
            SshKeys.HostKey hostKey,
            String authorizedKey)
            throws IOException {
        skeleton();
        for (PackageFiles pkg : requested) {
            addTree(pkg.root(), "");
        }
        busyboxApplets();
        new LibraryResolver(all, arch).addNeeded(image, elfFiles);
        kernelModules(recipe, kernel);
        image.directory("root/.ssh", 0700);
        image.file("root/.ssh/authorized_keys", (authorizedKey + "\n").getBytes(StandardCharsets.US_ASCII), 0600);
        image.file(HOST_KEY, hostKey.dropbearKeyFile(), 0600);
        image.directory(GuestLibrary.IMAGE_FOLDER.substring(1), 0755);
        image.file(GuestLibrary.LIVEPATCH.imagePath().substring(1), GuestLibrary.LIVEPATCH.content(), 0644);
        for (Path overlay : recipe.overlays()) {
            addTree(overlay, "");
        }
        return image;
    }

    private void skeleton() {
        for (String dir : List.of("proc", "sys", "dev", "run", "tmp", "var", "etc", "mnt", "lib/modules")) {
            image.directory(dir, dir.equals("tmp") ? 01777 : 0755);
        }
        image.directory("root", 0700);
        text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
        text("etc/group", "root:x:0:\n", 0644);
        text("etc/shells", "/bin/sh\n/bin/bash\n", 0644);
        text("etc/hostname", "guest\n", 0644);
    }

    private void addTree(Path root, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted().toList()) {
                if (file.equals(root)) {
                    continue;
                }
                String inImage = prefix + root.relativize(file);
                image.copy(inImage, file);
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Elf.isElf(file)) {
                    elfFiles.put(inImage, file);
                }
            }
        }
    }

    /** Busybox applets as symbolic links, without replacing files that real packages provide. */
    private void busyboxApplets() {
        // Where the package has it: /bin until Debian 12, /usr/bin in the merged-/usr packages of later releases (an
        // image of an architecture the host release does not have takes sid's).
        Path busybox = elfFiles.getOrDefault("bin/busybox", elfFiles.get("usr/bin/busybox"));
        if (busybox == null) {
            return;
        }
        String list = ProcessRunner.create()
                .run(List.of(hostBusybox.orElse(busybox).toString(), "--list-full"), Duration.ofSeconds(30))
                .stdout();
        for (String applet :
                list.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            if (!image.contains(applet)) {
                image.symlink(applet, "/bin/busybox");
            }
        }
        if (!image.contains("init")) {
            image.symlink("init", "/bin/busybox");
        }
    }

    private void kernelModules(ImageRecipe recipe, Kernel kernel) throws IOException {
        if (recipe.modules().isEmpty()) {
            text(MODULE_LIST, "", 0644);
            return;
        }
        ModuleOrder order = new ModuleOrder(kernel.modulesDir());
        StringBuilder list = new StringBuilder();
        for (Path module : order.resolve(recipe.modules())) {
            // Uncompressed, so that any insmod loads it whatever the kernel's module decompression support.
            Path relative = order.relative(module);
            String inImage = "lib/modules/" + kernel.release() + "/"
                    + relative.resolveSibling(ModuleFiles.uncompressedName(module));
            image.file(inImage, ModuleFiles.read(module), 0644);
            list.append('/').append(inImage).append('\n');
        }
        text(MODULE_LIST, list.toString(), 0644);
    }

    private void text(String path, String content, int mode) {
        image.file(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }
}
