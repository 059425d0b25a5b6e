package dev.livepatch.testkit.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** SSH wire encoding (RFC 4251): big-endian integers and length-prefixed strings, as keys are stored. */
final class SshWire {
    private SshWire() {}

    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new SshException("Writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    static void string(DataOutputStream out, String value) throws IOException {
        string(out, value.getBytes(StandardCharsets.UTF_8));
    }
}
