package dev.livepatch.testkit.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A container's output as it arrives: copied to a log, and kept per stream for the result. */
final class ContainerOutput {
    private final OutputStream log;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream both = new ByteArrayOutputStream();
    private IOException logFailure;

    ContainerOutput(OutputStream log) {
        this.log = log;
    }

    /** Follows the container's output from its start until the container ends. */
    Follower follow(DockerClient docker, String containerId) {
        return docker.logContainerCmd(containerId)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .exec(new Follower());
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** The last lines of both streams as they came, for error messages. */
    synchronized String tail(int count) {
        List<String> lines = both.toString(StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** Reports a failure to copy output to the log, which must not pass silently. */
    synchronized void rethrowWriteFailure() {
        if (logFailure != null) {
            throw new ModuleBuildException("Could not write the container's output to the log", logFailure);
        }
    }

    private synchronized void accept(StreamType type, byte[] payload) {
        if (payload == null) {
            return;
        }
        (type == StreamType.STDERR ? stderr : stdout).writeBytes(payload);
        both.writeBytes(payload);
        if (logFailure == null) {
            try {
                log.write(payload);
                log.flush();
            } catch (IOException e) {
                logFailure = e;
            }
        }
    }

    /** Receives the frames of a followed log stream. */
    final class Follower extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame frame) {
            accept(frame.getStreamType(), frame.getPayload());
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException e) {
                throw new ModuleBuildException("Could not close the container's log stream", e);
            }
        }
    }
}
