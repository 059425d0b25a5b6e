package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import dev.livepatch.testkit.lifecycle.Durations;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apiguardian.api.API;

/** Opens a JSch session: public-key login only, the pinned host key only, algorithms every guest and JDK have. */
@API(status = INTERNAL, since = "0.2")
public final class JschConnector {
    private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    private static final int KEEPALIVE_MISSES = 3;

    /** curve25519 key exchange, ed25519 host keys, AES-CTR with HMAC-SHA2: all JDK built-ins, all in dropbear. */
    private static final Map<String, String> CONFIG = Map.ofEntries(
            Map.entry("StrictHostKeyChecking", "yes"),
            Map.entry("PreferredAuthentications", "publickey"),
            Map.entry("kex", "curve25519-sha256,curve25519-sha256@libssh.org"),
            Map.entry("server_host_key", "ssh-ed25519"),
            Map.entry("PubkeyAcceptedAlgorithms", "ssh-ed25519"),
            Map.entry("cipher.c2s", "aes128-ctr"),
            Map.entry("cipher.s2c", "aes128-ctr"),
            Map.entry("mac.c2s", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256"),
            Map.entry("mac.s2c", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256"),
            Map.entry("CheckKexes", "curve25519-sha256"),
            Map.entry("CheckCiphers", "aes128-ctr"),
            Map.entry("CheckMacs", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256"),
            Map.entry("CheckSignatures", "ssh-ed25519"));

    static {
        // JSch takes its random source once per JVM, from this setting, when its first session is made.
        JSch.setConfig("random", HandshakeRandom.class.getName());
    }

    private JschConnector() {}

    /** A session over TCP to the target, with keepalives. */
    public static Session connect(SshTarget target, Duration timeout) {
        return open(target, null, timeout);
    }

    /**
     * A session over {@code transport} instead of TCP, with no keepalives and the ephemeral key from
     * {@link HandshakeRandom}: under the same seed, two such handshakes send the same bytes.
     */
    public static Session connect(SshTarget target, SocketFactory transport, Duration timeout) {
        return open(target, transport, timeout);
    }

    private static Session open(SshTarget target, SocketFactory transport, Duration timeout) {
        JSch jsch = new JSch();
        PinnedHostKey pin = new PinnedHostKey(target);
        jsch.setHostKeyRepository(pin);
        addIdentity(jsch, target);
        try {
            Session session = jsch.getSession(target.user(), target.host(), target.port());
            CONFIG.forEach(session::setConfig);
            session.setDaemonThread(true);
            if (transport == null) {
                session.setServerAliveInterval((int) KEEPALIVE_INTERVAL.toMillis());
                session.setServerAliveCountMax(KEEPALIVE_MISSES);
            } else {
                session.setSocketFactory(transport);
                session.setConfig("xdh", HandshakeXdh.class.getName());
            }
            session.connect((int) Math.max(1, timeout.toMillis()));
            return session;
        } catch (JSchException e) {
            if (pin.refused()) {
                throw new HostKeyMismatchException(pin.mismatch(target), e);
            }
            throw new SshException(
                    "Could not connect over SSH to " + target.user() + "@" + address(target) + ": "
                            + reason(e, target, timeout),
                    e);
        }
    }

    private static void addIdentity(JSch jsch, SshTarget target) {
        if (!Files.isReadable(target.privateKey())) {
            throw new SshException("The SSH private key " + target.privateKey() + " for " + address(target)
                    + " is missing or unreadable; rebuild the image or run './testkit cache clean'.");
        }
        try {
            jsch.addIdentity(target.privateKey().toString());
        } catch (JSchException e) {
            throw new SshException(
                    "The SSH private key " + target.privateKey() + " is not a usable unencrypted OpenSSH key: "
                            + e.getMessage(),
                    e);
        }
    }

    private static String reason(JSchException e, SshTarget target, Duration timeout) {
        Throwable cause = e.getCause();
        String message = String.valueOf(e.getMessage());
        if (cause instanceof ConnectException) {
            return "nothing listens on that port (" + cause.getMessage() + ")";
        }
        if (cause instanceof SocketTimeoutException || message.startsWith("timeout")) {
            return "no SSH handshake within " + Durations.format(timeout) + " (" + message + ")";
        }
        if (cause instanceof SocketException || message.contains("closed by foreign host")) {
            return "the connection was closed before the SSH handshake finished; the SSH server is not up yet or"
                    + " refused us (" + message + ")";
        }
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
            return "the guest refused the key " + target.privateKey() + " for user '" + target.user() + "' (" + message
                    + "). The guest's authorized_keys does not hold this key: rebuild the image or run"
                    + " './testkit cache clean'.";
        }
        return message;
    }

    public static String address(SshTarget target) {
        return target.host() + ":" + target.port();
    }
}
