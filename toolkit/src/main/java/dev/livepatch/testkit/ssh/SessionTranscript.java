package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * How a kept session was opened: the seed of the client's random bytes, every byte the client sent and every byte the
 * server answered, up to the end of authentication. With the same seed the client sends the same bytes again, and
 * fed the server's recorded answers it reaches the same keys and sequence numbers as the server end, which a snapshot
 * restored at that point holds: the session goes on without a new handshake.
 */
@API(status = INTERNAL, since = "0.3")
public record SessionTranscript(byte[] seed, byte[] clientBytes, byte[] serverBytes) {
    private static final int MAGIC = 0x4c505453; // "LPTS"
    private static final int VERSION = 1;
    private static final int DIGEST = 32;

    public SessionTranscript {
        seed = seed.clone();
        clientBytes = clientBytes.clone();
        serverBytes = serverBytes.clone();
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public byte[] clientBytes() {
        return clientBytes.clone();
    }

    @Override
    public byte[] serverBytes() {
        return serverBytes.clone();
    }

    /** Writes the transcript with a checksum, so that a damaged file is found rather than trusted. */
    public void write(Path file) throws IOException {
        byte[] body = SshWire.encode(out -> {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            SshWire.string(out, seed);
            SshWire.string(out, clientBytes);
            SshWire.string(out, serverBytes);
        });
        byte[] whole = Arrays.copyOf(body, body.length + DIGEST);
        System.arraycopy(sha256(body), 0, whole, body.length, DIGEST);
        Files.write(file, whole);
    }

    /** Reads a transcript written by {@link #write(Path)}; a damaged or foreign file is an {@link IOException}. */
    public static SessionTranscript read(Path file) throws IOException {
        byte[] whole = Files.readAllBytes(file);
        if (whole.length < DIGEST + 8) {
            throw new IOException(file + " is too short to be a session transcript (" + whole.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(whole, whole.length - DIGEST);
        if (!Arrays.equals(sha256(body), Arrays.copyOfRange(whole, body.length, whole.length))) {
            throw new IOException(file + " is damaged: its checksum does not match its content");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a session transcript of this version");
            }
            return new SessionTranscript(bytes(in), bytes(in), bytes(in));
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a session transcript field claims " + length + " bytes");
        }
        return in.readNBytes(length);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionTranscript that
                && Arrays.equals(seed, that.seed)
                && Arrays.equals(clientBytes, that.clientBytes)
                && Arrays.equals(serverBytes, that.serverBytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverBytes);
    }

    @Override
    public String toString() {
        return "SessionTranscript[" + clientBytes.length + " bytes sent, " + serverBytes.length + " received]";
    }
}
