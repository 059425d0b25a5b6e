package dev.livepatch.testkit.ssh.kept;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.InputStream;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * A byte stream to a guest's SSH server that is not a TCP connection of this host (a virtio serial port, whose host
 * end QEMU keeps outside the guest). Closing it ends this end's use of the stream, not the stream.
 */
@API(status = INTERNAL, since = "0.3")
public interface SessionPipe extends AutoCloseable {
    InputStream input();

    OutputStream output();

    @Override
    void close();
}
