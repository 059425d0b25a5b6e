package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apiguardian.api.API;

/** SSH wire encoding (RFC 4251): big-endian integers and length-prefixed strings, as keys are stored. */
@API(status = INTERNAL, since = "0.2")
public final class SshWire {
    private SshWire() {}

    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    public static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new SshException("Writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    public static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    public static void string(DataOutputStream out, String value) throws IOException {
        string(out, value.getBytes(StandardCharsets.UTF_8));
    }
}
