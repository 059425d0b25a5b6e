package dev.livepatch.testkit.livepatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A module file on the host and where it goes in the guest: a folder named after its content, so each version is
 * copied once and a changed module never shadows an old one.
 *
 * @param source the {@code .ko} on the host
 * @param name the module name the kernel gives it (file name without {@code .ko}, {@code -} read as {@code _})
 * @param guestPath where it is copied in the guest
 */
record ModuleFile(Path source, String name, String guestPath) {
    static final String GUEST_FOLDER = "/tmp/lpt";

    static ModuleFile of(Path ko, String root) {
        String fileName = ko.getFileName().toString();
        if (!fileName.endsWith(".ko")) {
            throw refused(ko, "it is not a kernel module (no .ko suffix)");
        }
        if (!Files.isRegularFile(ko)) {
            throw refused(ko, "the file " + ko + " does not exist; build the module first");
        }
        String name = fileName.substring(0, fileName.length() - ".ko".length()).replace('-', '_');
        return new ModuleFile(ko, name, root + GUEST_FOLDER + "/" + contentHash(ko) + "/" + fileName);
    }

    private static LivepatchException refused(Path ko, String problem) {
        return new LivepatchException(
                ko.getFileName().toString(), "insmod " + ko.getFileName(), problem, null, KernelLog.empty());
    }

    String fileName() {
        return source.getFileName().toString();
    }

    private static String contentHash(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (IOException e) {
            throw refused(file, "the file " + file + " could not be read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
