package dev.livepatch.testkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519KeyTest {
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Ed25519Key key = Ed25519Key.generate();

    @Test
    void seedAndPublicKeyBelongTogether() throws GeneralSecurityException {
        assertThat(key.seed()).hasSize(32);
        assertThat(key.publicKey()).hasSize(32);
        byte[] message = "boot the guest".getBytes(StandardCharsets.UTF_8);

        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey(key.seed()));
        signer.update(message);
        byte[] signature = signer.sign();

        assertThat(verifies(key.publicKey(), message, signature)).isTrue();
        assertThat(verifies(Ed25519Key.generate().publicKey(), message, signature))
                .isFalse();
    }

    @Test
    void jschLoadsTheOpenSshPrivateKeyAndSignsWithIt() throws JSchException, GeneralSecurityException, IOException {
        String file = key.openSshPrivateKey("root@livepatch-guest");

        assertThat(file)
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .endsWith("\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThat(file.lines()).allMatch(line -> line.length() <= 70);
        KeyPair loaded = KeyPair.load(new JSch(), file.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(loaded.getKeyType()).isEqualTo(KeyPair.ED25519);
        assertThat(loaded.isEncrypted()).isFalse();
        assertThat(loaded.getPublicKeyComment()).isEqualTo("root@livepatch-guest");
        assertThat(loaded.getPublicKeyBlob()).isEqualTo(key.publicBlob());

        byte[] message = "uname -r".getBytes(StandardCharsets.UTF_8);
        DataInputStream signatureBlob = new DataInputStream(new ByteArrayInputStream(loaded.getSignature(message)));
        assertThat(sshString(signatureBlob)).isEqualTo("ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifies(key.publicKey(), message, sshString(signatureBlob))).isTrue();
    }

    @Test
    void publicLineIsTypeBlobAndComment() throws IOException {
        String[] parts = key.publicLine("livepatch-testkit").split(" ");

        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("ssh-ed25519");
        assertThat(parts[2]).isEqualTo("livepatch-testkit");
        byte[] blob = Base64.getDecoder().decode(parts[1]);
        assertThat(blob).isEqualTo(key.publicBlob());
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob));
        assertThat(new String(sshString(in), StandardCharsets.US_ASCII)).isEqualTo("ssh-ed25519");
        assertThat(sshString(in)).isEqualTo(key.publicKey());
        assertThat(in.available()).isZero();
    }

    @Test
    void dropbearKeyIsTypeThenSeedFollowedByPublicKey() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(key.dropbearKeyFile()));

        assertThat(new String(sshString(in), StandardCharsets.US_ASCII)).isEqualTo("ssh-ed25519");
        byte[] secret = sshString(in);
        assertThat(secret).hasSize(64);
        assertThat(Arrays.copyOfRange(secret, 0, 32)).isEqualTo(key.seed());
        assertThat(Arrays.copyOfRange(secret, 32, 64)).isEqualTo(key.publicKey());
        assertThat(in.available()).isZero();
    }

    @Test
    void everyGenerationIsANewKey() {
        Ed25519Key other = Ed25519Key.generate();

        assertThat(other.seed()).isNotEqualTo(key.seed());
        assertThat(other.publicKey()).isNotEqualTo(key.publicKey());
    }

    private static byte[] sshString(DataInputStream in) throws IOException {
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        return value;
    }

    private static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    }

    private static boolean verifies(byte[] publicKey, byte[] message, byte[] signature)
            throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
