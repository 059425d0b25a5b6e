package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.util.Arrays;

/** Accepts exactly one host key, the one pinned for the guest's image, and only for the guest's address. */
final class PinnedHostKey implements HostKeyRepository {
    private final byte[] pinned;
    private final String hostName;
    private volatile byte[] offered;

    PinnedHostKey(SshTarget target) {
        this.pinned = SshKeys.publicBlob(target.hostKey());
        this.hostName = target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
    }

    @Override
    public int check(String host, byte[] key) {
        offered = key.clone();
        return hostName.equals(host) && Arrays.equals(pinned, key) ? OK : CHANGED;
    }

    /** Whether the server offered a key and it was not the pinned one. */
    boolean refused() {
        byte[] seen = offered;
        return seen != null && !Arrays.equals(pinned, seen);
    }

    String mismatch(SshTarget target) {
        return "The guest's host key does not match the pinned key of the image: the guest at " + target.host() + ":"
                + target.port() + " offered host key " + SshKeys.fingerprint(offered) + " but the image pins "
                + SshKeys.fingerprint(pinned) + ". Either another guest or program"
                + " listens on that port, or the image's cached keys are stale: rebuild the image or run"
                + " './testkit cache clean'.";
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {}

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public String getKnownHostsRepositoryID() {
        return "host key pinned by the guest image";
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
