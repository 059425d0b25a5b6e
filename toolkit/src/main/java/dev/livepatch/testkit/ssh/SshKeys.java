package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.apiguardian.api.API;

/** Fresh ed25519 keys for a guest image: the user key root logs in with, and the guest's host key. */
@API(status = INTERNAL, since = "0.1")
public final class SshKeys {
    private SshKeys() {}

    /**
     * A guest host key.
     *
     * @param dropbearKeyFile the private key in dropbear's key-file format (for {@code dropbear -r <file>})
     * @param publicKey the public key in OpenSSH form ({@code ssh-ed25519 AAAA... comment}), to pin in
     *     {@link SshTarget#hostKey()}
     */
    public record HostKey(byte[] dropbearKeyFile, String publicKey) {}

    /**
     * Generates a user key pair and writes its private half to {@code privateKeyFile} in OpenSSH format, readable by
     * its owner only (a missing parent folder is created, readable by its owner only).
     *
     * @return the {@code authorized_keys} line of the public half
     */
    public static String generateUserKey(Path privateKeyFile, String comment) {
        Ed25519Key key = Ed25519Key.generate();
        writePrivately(privateKeyFile, key.openSshPrivateKey(comment));
        return key.publicLine(comment);
    }

    public static HostKey generateHostKey(String comment) {
        Ed25519Key key = Ed25519Key.generate();
        return new HostKey(key.dropbearKeyFile(), key.publicLine(comment));
    }

    /** The SHA-256 fingerprint of an OpenSSH public key line, as {@code ssh-keygen -l} shows it. */
    public static String fingerprint(String openSshPublicKey) {
        return fingerprint(publicBlob(openSshPublicKey));
    }

    static String fingerprint(byte[] publicBlob) {
        byte[] digest = Sha256.of(publicBlob).bytes();
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    /** The key blob of {@code type base64 [comment]}. */
    static byte[] publicBlob(String openSshPublicKey) {
        String[] parts = openSshPublicKey.strip().split("\\s+");
        try {
            if (parts.length >= 2) {
                return Base64.getDecoder().decode(parts[1]);
            }
        } catch (IllegalArgumentException e) {
            throw new SshException("Malformed SSH public key '" + openSshPublicKey + "': " + e.getMessage(), e);
        }
        throw new SshException(
                "Malformed SSH public key '" + openSshPublicKey + "'; expected 'ssh-ed25519 AAAA... [comment]'");
    }

    private static void writePrivately(Path file, String content) {
        Path target = file.toAbsolutePath();
        Path staging = null;
        try {
            Path parent = target.getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(
                        parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            staging = Files.createTempFile(
                    parent,
                    "." + target.getFileName() + ".",
                    ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(staging, StandardCharsets.US_ASCII)) {
                writer.write(content);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new SshException("Could not write the SSH private key " + target + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The staging file has a ".partial" suffix and is never read as a key.
        }
    }
}
