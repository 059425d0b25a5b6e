package dev.livepatch.testkit.util;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apiguardian.api.API;

/**
 * A SHA-256 hash, in lower-case hex: the form of every content hash and cache key the toolkit writes, so a change here
 * changes the keys of users' caches. Start from one input ({@code Sha256.of(..)}), or add several in turn to a
 * {@code new Sha256()}; then read the result, all of it or a short prefix for a name.
 */
@API(status = INTERNAL, since = "0.3")
public final class Sha256 {
    private static final int BUFFER = 1 << 16;

    private final MessageDigest digest;
    private byte[] result;

    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    public static Sha256 of(byte[] bytes) {
        return new Sha256().add(bytes);
    }

    /** The hash of {@code text} in UTF-8. */
    public static Sha256 of(String text) {
        return new Sha256().add(text);
    }

    /** The hash of a file's content. */
    public static Sha256 of(Path file) throws IOException {
        return new Sha256().add(file);
    }

    public Sha256 add(byte[] bytes) {
        unfinished().update(bytes);
        return this;
    }

    /** One byte, e.g. a separator that keeps a name and the content after it apart. */
    public Sha256 add(byte value) {
        unfinished().update(value);
        return this;
    }

    /** {@code text} in UTF-8. */
    public Sha256 add(String text) {
        return add(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file's content, read a block at a time: a kernel image or snapshot need not fit in memory. */
    public Sha256 add(Path file) throws IOException {
        MessageDigest open = unfinished();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                open.update(buffer, 0, read);
            }
        }
        return this;
    }

    /** The 32 bytes of the hash; nothing can be added after. */
    public byte[] bytes() {
        if (result == null) {
            result = digest.digest();
        }
        return result.clone();
    }

    /** The 64 hex digits of the hash, in lower case; nothing can be added after. */
    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    /** The first {@code digits} hex digits of the hash, for a key that is part of a file or folder name. */
    public String prefix(int digits) {
        return hex().substring(0, digits);
    }

    private MessageDigest unfinished() {
        if (result != null) {
            throw new IllegalStateException("This SHA-256 is finished: its result was read");
        }
        return digest;
    }
}
