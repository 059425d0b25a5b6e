package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.apiguardian.api.API;

/**
 * Curve25519 key agreement for JSch, as JSch's own but with the ephemeral key drawn from {@link HandshakeRandom}, so
 * that a kept session's handshake can be made again identically. Public only because JSch loads it by name.
 */
@API(status = INTERNAL, since = "0.3")
public final class HandshakeXdh implements com.jcraft.jsch.XDH {
    private byte[] publicValue;
    private XECPublicKey publicKey;
    private int keyLength;
    private KeyAgreement agreement;

    @Override
    public void init(String name, int keylen) throws Exception {
        this.keyLength = keylen;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
        generator.initialize(new NamedParameterSpec(name), HandshakeRandom.SECURE);
        KeyPair pair = generator.generateKeyPair();
        publicKey = (XECPublicKey) pair.getPublic();
        publicValue = littleEndian(publicKey.getU().toByteArray());
        agreement = KeyAgreement.getInstance("XDH");
        agreement.init(pair.getPrivate());
    }

    @Override
    public byte[] getQ() {
        return publicValue;
    }

    @Override
    public byte[] getSecret(byte[] theirs) throws Exception {
        byte[] bigEndian = littleEndian(theirs);
        byte[] positive = new byte[keyLength + 1];
        System.arraycopy(bigEndian, 0, positive, 1, keyLength);
        XECPublicKeySpec spec = new XECPublicKeySpec(publicKey.getParams(), new BigInteger(positive));
        agreement.doPhase(KeyFactory.getInstance("XDH").generatePublic(spec), true);
        return agreement.generateSecret();
    }

    /** RFC 8731: a public value of any other length aborts the exchange. */
    @Override
    public boolean validate(byte[] u) {
        return u.length == keyLength;
    }

    /** Reverses the byte order (RFC 7748 encodes u little-endian; BigInteger is big-endian), at the key's length. */
    private byte[] littleEndian(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - i - 1];
        }
        return Arrays.copyOf(out, keyLength);
    }
}
