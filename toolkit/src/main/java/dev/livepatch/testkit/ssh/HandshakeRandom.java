package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.util.Sha256;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * JSch's source of random bytes: the operating system's, except on a thread that is making a kept session, where the
 * bytes come from that session's seed. The same seed then gives the same client handshake, byte for byte, which is
 * what lets a later run take the session up where a snapshot left it. Public only because JSch loads it by name.
 */
@API(status = INTERNAL, since = "0.3")
public final class HandshakeRandom implements com.jcraft.jsch.Random {
    private static final ThreadLocal<SeededStream> SEEDED = new ThreadLocal<>();
    private static final SecureRandom SYSTEM = new SecureRandom();

    /** The random source JSch's key exchange hands to the JDK's key pair generator (see {@link HandshakeXdh}). */
    static final SecureRandom SECURE = new SecureRandom(new Spi(), null) {};

    @Override
    public void fill(byte[] bytes, int start, int length) {
        fillFrom(bytes, start, length);
    }

    /** Runs {@code work} with this thread's random bytes drawn from {@code seed}. */
    public static <T> T seeded(byte[] seed, Supplier<T> work) {
        SEEDED.set(new SeededStream(seed));
        try {
            return work.get();
        } finally {
            SEEDED.remove();
        }
    }

    private static void fillFrom(byte[] bytes, int start, int length) {
        SeededStream seeded = SEEDED.get();
        if (seeded == null) {
            byte[] fresh = new byte[length];
            SYSTEM.nextBytes(fresh);
            System.arraycopy(fresh, 0, bytes, start, length);
        } else {
            seeded.fill(bytes, start, length);
        }
    }

    /** SHA-256 of the seed and a counter, block after block. */
    private static final class SeededStream {
        private final byte[] seed;
        private long counter;
        private byte[] block = new byte[0];
        private int used;

        SeededStream(byte[] seed) {
            this.seed = seed.clone();
        }

        void fill(byte[] bytes, int start, int length) {
            for (int i = 0; i < length; i++) {
                if (used == block.length) {
                    block = next();
                    used = 0;
                }
                bytes[start + i] = block[used++];
            }
        }

        private byte[] next() {
            return Sha256.of(seed)
                    .add(ByteBuffer.allocate(Long.BYTES).putLong(counter++).array())
                    .bytes();
        }
    }

    private static final class Spi extends SecureRandomSpi {
        @Override
        protected void engineSetSeed(byte[] seed) {}

        @Override
        protected void engineNextBytes(byte[] bytes) {
            fillFrom(bytes, 0, bytes.length);
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            byte[] bytes = new byte[length];
            fillFrom(bytes, 0, length);
            return bytes;
        }
    }
}
