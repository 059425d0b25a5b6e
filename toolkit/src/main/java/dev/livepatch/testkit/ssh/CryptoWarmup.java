package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.JSch;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;

/** Touches what an SSH handshake uses (curve25519, ed25519, AES-CTR, HMAC-SHA2) so it is loaded and initialised. */
final class CryptoWarmup {
    private CryptoWarmup() {}

    static void run() {
        try {
            new JSch();
            KeyPairGenerator.getInstance("X25519").generateKeyPair();
            KeyAgreement.getInstance("X25519");
            Signature.getInstance("Ed25519");
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Cipher.getInstance("AES/CTR/NoPadding");
            Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            // Only a head start: a missing algorithm surfaces with a clear error when connecting.
        }
    }
}
