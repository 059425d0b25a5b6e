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
            throw new IllegalArgumentException("Not a kernel module (no .ko suffix): " + ko);
        }
        if (!Files.isRegularFile(ko)) {
            throw new IllegalArgumentException("Module file " + ko + " does not exist; build it first");
        }
        String name = fileName.substring(0, fileName.length() - ".ko".length()).replace('-', '_');
        return new ModuleFile(ko, name, root + GUEST_FOLDER + "/" + contentHash(ko) + "/" + fileName);
    }

    String fileName() {
        return source.getFileName().toString();
    }

    private static String contentHash(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not read module file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
