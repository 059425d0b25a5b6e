package dev.livepatch.testkit.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Fresh ed25519 keys for one image: the guest's host key (in dropbear's key-file format, pinned by the client
 * through its public form) and the user key that root accepts.
 */
final class GuestKeys {
    private static final String TYPE = "ssh-ed25519";

    private GuestKeys() {}

    /** An ed25519 key as raw 32-byte seed and public key. */
    record Ed25519(byte[] seed, byte[] publicKey) {
        /** {@code ssh-ed25519 AAAA... comment}, as in authorized_keys and known_hosts. */
        String publicLine(String comment) {
            return TYPE + " " + Base64.getEncoder().encodeToString(publicBlob()) + " " + comment;
        }

        byte[] publicBlob() {
            return sshBuffer(out -> {
                string(out, TYPE.getBytes(StandardCharsets.US_ASCII));
                string(out, publicKey);
            });
        }

        /** Dropbear's private key file: string "ssh-ed25519", string (seed || public key). */
        byte[] dropbearPrivateKey() {
            return sshBuffer(out -> {
                string(out, TYPE.getBytes(StandardCharsets.US_ASCII));
                string(out, concat(seed, publicKey));
            });
        }

        /** The OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----}), unencrypted. */
        String openSshPrivateKey(String comment) {
            int check = new SecureRandom().nextInt();
            byte[] privateSection = sshBuffer(out -> {
                out.writeInt(check);
                out.writeInt(check);
                string(out, TYPE.getBytes(StandardCharsets.US_ASCII));
                string(out, publicKey);
                string(out, concat(seed, publicKey));
                string(out, comment.getBytes(StandardCharsets.UTF_8));
                for (int pad = 1; out.size() % 8 != 0; pad++) {
                    out.write(pad);
                }
            });
            byte[] body = sshBuffer(out -> {
                out.write("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
                string(out, "none".getBytes(StandardCharsets.US_ASCII));
                string(out, "none".getBytes(StandardCharsets.US_ASCII));
                string(out, new byte[0]);
                out.writeInt(1);
                string(out, publicBlob());
                string(out, privateSection);
            });
            return "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(body)
                    + "\n-----END OPENSSH PRIVATE KEY-----\n";
        }
    }

    static Ed25519 generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            return new Ed25519(
                    Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
                    Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        } catch (GeneralSecurityException e) {
            throw new ImageException("This JVM cannot generate ed25519 keys (Java 15 or newer is needed)", e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] sshBuffer(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
