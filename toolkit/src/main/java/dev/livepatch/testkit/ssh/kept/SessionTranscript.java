package dev.livepatch.testkit.ssh.kept;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.jcraft.jsch.JSch;
import dev.livepatch.testkit.ssh.SshWire;
import dev.livepatch.testkit.util.Sha256;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * How a kept session was opened: the seed of the client's random bytes, every byte the client sent and every byte the
 * server answered, up to the start of the session's command loop. With the same seed the client sends the same bytes
 * again, and fed the server's recorded answers it reaches the same keys, sequence numbers and channels as the server
 * end, which a snapshot restored at that point holds: the session goes on without a new handshake.
 *
 * @param serverGates for each server byte, how many bytes the client had sent when it was read: a replay hands it
 *     over no sooner, as the server could not have sent it before
 * @param loopChannel the number of the command loop's channel (see {@link CommandLoop})
 */
@API(status = INTERNAL, since = "0.3")
public record SessionTranscript(
        byte[] seed, byte[] clientBytes, byte[] serverBytes, int[] serverGates, int loopChannel) {
    private static final int MAGIC = 0x4c505453; // "LPTS"
    private static final int VERSION = 2;
    private static final int DIGEST = 32;

    /**
     * What a transcript depends on besides its bytes, for the snapshots that hold one: a snapshot whose kept session
     * was recorded with another format, another command loop or another JSch (whose handshake may differ) is made
     * again rather than replayed in vain.
     */
    public static final String FORMAT =
            "kept-session v" + VERSION + " " + CommandLoop.SCRIPT.hashCode() + " jsch " + JSch.VERSION;

    public SessionTranscript {
        seed = seed.clone();
        clientBytes = clientBytes.clone();
        serverBytes = serverBytes.clone();
        serverGates = serverGates.clone();
        if (serverGates.length != serverBytes.length) {
            throw new IllegalArgumentException(
                    serverGates.length + " gates for " + serverBytes.length + " server bytes");
        }
    }

    @Override
    public int[] serverGates() {
        return serverGates.clone();
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
            out.writeInt(serverGates.length);
            for (int gate : serverGates) {
                out.writeInt(gate);
            }
            out.writeInt(loopChannel);
        });
        byte[] whole = Arrays.copyOf(body, body.length + DIGEST);
        System.arraycopy(Sha256.of(body).bytes(), 0, whole, body.length, DIGEST);
        Files.write(file, whole);
    }

    /** Reads a transcript written by {@link #write(Path)}; a damaged or foreign file is an {@link IOException}. */
    public static SessionTranscript read(Path file) throws IOException {
        byte[] whole = Files.readAllBytes(file);
        if (whole.length < DIGEST + 8) {
            throw new IOException(file + " is too short to be a session transcript (" + whole.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(whole, whole.length - DIGEST);
        if (!Arrays.equals(Sha256.of(body).bytes(), Arrays.copyOfRange(whole, body.length, whole.length))) {
            throw new IOException(file + " is damaged: its checksum does not match its content");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a session transcript of this version");
            }
            byte[] seed = bytes(in);
            byte[] client = bytes(in);
            byte[] server = bytes(in);
            int count = in.readInt();
            if (count != server.length) {
                throw new IOException(file + " has " + count + " gates for " + server.length + " server bytes");
            }
            int[] gates = new int[count];
            for (int i = 0; i < count; i++) {
                gates[i] = in.readInt();
            }
            return new SessionTranscript(seed, client, server, gates, in.readInt());
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a session transcript field claims " + length + " bytes");
        }
        return in.readNBytes(length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionTranscript that
                && Arrays.equals(seed, that.seed)
                && Arrays.equals(clientBytes, that.clientBytes)
                && Arrays.equals(serverBytes, that.serverBytes)
                && Arrays.equals(serverGates, that.serverGates)
                && loopChannel == that.loopChannel;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverBytes);
    }

    @Override
    public String toString() {
        return "SessionTranscript[" + clientBytes.length + " bytes sent, " + serverBytes.length
                + " received, command loop on channel " + loopChannel + "]";
    }
}
