package dev.livepatch.testkit.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An ed25519 key as its raw 32-byte seed and 32-byte public key, written in the formats OpenSSH and dropbear read.
 */
record Ed25519Key(byte[] seed, byte[] publicKey) {
    static final String TYPE = "ssh-ed25519";

    static Ed25519Key generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            return new Ed25519Key(
                    Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                    Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        } catch (GeneralSecurityException e) {
            throw new SshException("This JVM cannot generate ed25519 keys (Java 15 or newer is needed)", e);
        }
    }

    /** The public key blob: string "ssh-ed25519", string public key. */
    byte[] publicBlob() {
        return SshWire.encode(out -> {
            SshWire.string(out, TYPE);
            SshWire.string(out, publicKey);
        });
    }

    /** {@code ssh-ed25519 AAAA... comment}, as in {@code authorized_keys} and {@code known_hosts}. */
    String publicLine(String comment) {
        return TYPE + " " + Base64.getEncoder().encodeToString(publicBlob()) + " " + comment;
    }

    /** Dropbear's key file ({@code buf_put_ed25519_priv_key}): string "ssh-ed25519", string (seed, public key). */
    byte[] dropbearKeyFile() {
        return SshWire.encode(out -> {
            SshWire.string(out, TYPE);
            SshWire.string(out, seedAndPublicKey());
        });
    }

    /** The unencrypted OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, PROTOCOL.key). */
    String openSshPrivateKey(String comment) {
        int check = new SecureRandom().nextInt();
        byte[] privateSection = SshWire.encode(out -> {
            out.writeInt(check);
            out.writeInt(check);
            SshWire.string(out, TYPE);
            SshWire.string(out, publicKey);
            SshWire.string(out, seedAndPublicKey());
            SshWire.string(out, comment);
            for (int pad = 1; out.size() % 8 != 0; pad++) {
                out.write(pad);
            }
        });
        byte[] body = SshWire.encode(out -> {
            out.write("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
            SshWire.string(out, "none");
            SshWire.string(out, "none");
            SshWire.string(out, new byte[0]);
            out.writeInt(1);
            SshWire.string(out, publicBlob());
            SshWire.string(out, privateSection);
        });
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(body)
                + "\n-----END OPENSSH PRIVATE KEY-----\n";
    }

    private byte[] seedAndPublicKey() {
        byte[] both = Arrays.copyOf(seed, 64);
        System.arraycopy(publicKey, 0, both, 32, 32);
        return both;
    }
}
