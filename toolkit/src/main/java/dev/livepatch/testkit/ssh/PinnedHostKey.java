package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** Accepts exactly one host key: the one generated with the guest image. */
final class PinnedHostKey implements HostKeyRepository {
    private final byte[] expected;
    private volatile byte[] lastOffered;

    PinnedHostKey(String openSshPublicKey) {
        String[] parts = openSshPublicKey.strip().split("\\s+");
        if (parts.length < 2) {
            throw new SshException("Malformed pinned host key '" + openSshPublicKey + "'");
        }
        this.expected = Base64.getDecoder().decode(parts[1]);
    }

    @Override
    public int check(String host, byte[] key) {
        lastOffered = key.clone();
        return Arrays.equals(expected, key) ? OK : CHANGED;
    }

    /** Explains a refused host key, with both fingerprints. */
    String mismatch(String host, int port) {
        return "The guest at " + host + ":" + port + " offered host key " + fingerprint(lastOffered)
                + " but the image pins " + fingerprint(expected) + ". The guest is not the one this image was built"
                + " for (or something else listens on that port); rebuild the image or run './testkit cache clean'.";
    }

    boolean refused() {
        return lastOffered != null && !Arrays.equals(expected, lastOffered);
    }

    static String fingerprint(byte[] blob) {
        if (blob == null) {
            return "(none)";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {}

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public String getKnownHostsRepositoryID() {
        return "livepatch-testkit pinned host key";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }
}
