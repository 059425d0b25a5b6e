package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.module.LoadableModule;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.module.ModuleException;
import dev.livepatch.testkit.module.ModuleFiles;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A module file on the host, what its {@code .modinfo} says, and where it goes in the guest: a folder named after
 * its content, so each version is copied once and a changed module never shadows an old one. The guest gets it
 * without its debug sections, which the kernel does not load.
 *
 * @param source the {@code .ko} on the host
 * @param name the module name the kernel gives it: {@code name=} from its modinfo, else the file name without
 *     {@code .ko} with {@code -} read as {@code _}
 * @param modInfo its {@code .modinfo} section
 * @param guestPath where it is copied in the guest
 */
record ModuleFile(Path source, String name, ModInfo modInfo, String guestPath) {
    /** The bytes to copy to the guest. */
    byte[] guestContent() {
        try {
            return LoadableModule.withoutDebugInfo(Files.readAllBytes(source));
        } catch (IOException e) {
            throw refused(source, "the file " + source + " could not be read: " + e.getMessage());
        }
    }

    static final String GUEST_FOLDER = "/tmp/lpt-modules";

    static ModuleFile of(Path ko, String root) {
        String fileName = ko.getFileName().toString();
        if (!fileName.endsWith(".ko")) {
            throw refused(ko, "it is not a kernel module (no .ko suffix)");
        }
        if (!Files.isRegularFile(ko)) {
            throw refused(ko, "the file " + ko + " does not exist; build the module first");
        }
        ModInfo modInfo;
        try {
            modInfo = ModInfo.read(ko);
        } catch (ModuleException e) {
            throw refused(ko, e.getMessage());
        }
        String name = modInfo.name().orElse(ModuleFiles.moduleName(ko));
        return new ModuleFile(ko, name, modInfo, root + GUEST_FOLDER + "/" + contentHash(ko) + "/" + fileName);
    }

    private static LivepatchException refused(Path ko, String problem) {
        return new LivepatchException(
                ko.getFileName().toString(), "insmod " + ko.getFileName(), problem, null, KernelLog.empty());
    }

    String fileName() {
        return source.getFileName().toString();
    }

    /** The kernel release the module was built for (vermagic's first word), empty when it has no vermagic. */
    String release() {
        return modInfo.release().orElse("");
    }

    private static String contentHash(Path file) {
        try {
            return Sha256.of(file).prefix(16);
        } catch (IOException e) {
            throw refused(file, "the file " + file + " could not be read: " + e.getMessage());
        }
    }
}
