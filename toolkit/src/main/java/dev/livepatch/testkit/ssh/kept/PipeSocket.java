package dev.livepatch.testkit.ssh.kept;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * What JSch takes for its socket when the session runs over a {@link SessionPipe}: socket options mean nothing there
 * (a read waits as long as the guest takes; commands have their own deadlines), and closing it closes this end.
 */
final class PipeSocket extends Socket {
    private final SessionPipe pipe;
    private final InputStream input;
    private final OutputStream output;

    PipeSocket(SessionPipe pipe, InputStream input, OutputStream output) {
        this.pipe = pipe;
        this.input = input;
        this.output = output;
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void setTcpNoDelay(boolean on) {}

    @Override
    public void setSoTimeout(int timeout) {}

    @Override
    public int getSoTimeout() {
        return 0;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public synchronized void close() {
        pipe.close();
    }
}
