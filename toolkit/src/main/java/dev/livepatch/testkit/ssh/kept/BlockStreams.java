package dev.livepatch.testkit.ssh.kept;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams that work in blocks: the single-byte methods go through the block ones. */
final class BlockStreams {
    private BlockStreams() {}

    abstract static class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public abstract int read(byte[] buffer, int offset, int length) throws IOException;
    }

    abstract static class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public abstract void write(byte[] buffer, int offset, int length) throws IOException;
    }
}
