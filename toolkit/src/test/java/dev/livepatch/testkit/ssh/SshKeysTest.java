package dev.livepatch.testkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {
    private static final String PUBLIC_LINE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} ";
    private static final byte[] PKCS8_ED25519_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    @TempDir
    Path folder;

    @Test
    void theUserKeyFileIsOwnerOnlyAndHoldsTheKeyOfTheAuthorizedLine() throws Exception {
        Path keyFile = folder.resolve("image/keys/id_ed25519");

        String authorizedLine = SshKeys.generateUserKey(keyFile, "livepatch-testkit");

        assertThat(authorizedLine).matches(PUBLIC_LINE + "livepatch-testkit");
        assertThat(permissions(keyFile)).isEqualTo("rw-------");
        assertThat(permissions(keyFile.getParent())).isEqualTo("rwx------");
        assertThat(keyFile).content().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(keyFile.getParent()).isDirectoryNotContaining("glob:**.partial");
        KeyPair loaded = KeyPair.load(new JSch(), keyFile.toString());
        assertThat(loaded.isEncrypted()).isFalse();
        assertThat(loaded.getPublicKeyBlob()).isEqualTo(SshKeys.publicBlob(authorizedLine));
    }

    @Test
    void sshKeygenReadsTheUserKeyAndItsFingerprint() throws IOException {
        if (!onPath("ssh-keygen") && Settings.prerequisitesRequired()) {
            fail("ssh-keygen (openssh-client) is not installed, and CI requires this test to run");
        }
        assumeTrue(onPath("ssh-keygen"), "ssh-keygen (openssh-client) is not installed");
        Path keyFile = folder.resolve("id_ed25519");
        String authorizedLine = SshKeys.generateUserKey(keyFile, "user");
        Path publicFile = Files.writeString(folder.resolve("id_ed25519.pub"), authorizedLine + "\n");

        String derived = sshKeygen("-y", "-f", keyFile.toString());
        String listed = sshKeygen("-l", "-E", "sha256", "-f", publicFile.toString());

        assertThat(derived.strip()).startsWith(authorizedLine.substring(0, authorizedLine.lastIndexOf(' ')));
        assertThat(listed).startsWith("256 " + SshKeys.fingerprint(authorizedLine) + " user (ED25519)");
    }

    @Test
    void theHostKeyFileHasDropbearsLayoutAndTheSeedOfThePublicKey() throws Exception {
        SshKeys.HostKey hostKey = SshKeys.generateHostKey("guest");

        DataInputStream file = new DataInputStream(new ByteArrayInputStream(hostKey.dropbearKeyFile()));
        assertThat(new String(file.readNBytes(file.readInt()), StandardCharsets.US_ASCII))
                .isEqualTo("ssh-ed25519");
        assertThat(file.readInt()).isEqualTo(64);
        byte[] seed = file.readNBytes(32);
        byte[] publicKey = file.readNBytes(32);
        assertThat(file.available()).isZero();
        assertThat(hostKey.publicKey()).matches(PUBLIC_LINE + "guest");
        byte[] blob = SshKeys.publicBlob(hostKey.publicKey());
        assertThat(Arrays.copyOfRange(blob, blob.length - 32, blob.length)).isEqualTo(publicKey);
        assertThat(verifies(sign(seed, "challenge"), publicKey, "challenge")).isTrue();
        assertThat(verifies(sign(seed, "challenge"), publicKey, "another")).isFalse();
    }

    @Test
    void everyKeyIsFresh() {
        assertThat(SshKeys.generateHostKey("a").publicKey())
                .isNotEqualTo(SshKeys.generateHostKey("a").publicKey());
        assertThat(SshKeys.generateUserKey(folder.resolve("one"), "a"))
                .isNotEqualTo(SshKeys.generateUserKey(folder.resolve("two"), "a"));
    }

    @Test
    void aKeyFileThatCannotBeWrittenIsNamed() throws IOException {
        Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");
        Path keyFile = notAFolder.resolve("id_ed25519");

        assertThatThrownBy(() -> SshKeys.generateUserKey(keyFile, "user"))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("Could not write the SSH private key " + keyFile + ": ");
    }

    @Test
    void aMalformedPublicKeyIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> SshKeys.fingerprint("ssh-ed25519"))
                .isInstanceOf(SshException.class)
                .hasMessage("Malformed SSH public key 'ssh-ed25519'; expected 'ssh-ed25519 AAAA... [comment]'");
        assertThatThrownBy(() -> SshKeys.fingerprint("ssh-ed25519 not*base64"))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("Malformed SSH public key 'ssh-ed25519 not*base64': ");
    }

    private static byte[] sign(byte[] seed, String message) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_ED25519_PREFIX, seed)));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update(message.getBytes(StandardCharsets.UTF_8));
        return signature.sign();
    }

    private static boolean verifies(byte[] signed, byte[] publicKey, String message) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(concat(X509_ED25519_PREFIX, publicKey)));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        signature.update(message.getBytes(StandardCharsets.UTF_8));
        return signature.verify(signed);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String sshKeygen(String... arguments) {
        List<String> command =
                Stream.concat(Stream.of("ssh-keygen"), Stream.of(arguments)).toList();
        return ProcessRunner.create().run(command, Duration.ofSeconds(30)).stdout();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
