package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContainerOutputTest {

    @Test
    void copiesFramesToTheLogAsTheyComeAndKeepsEachStream() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ContainerOutput output = new ContainerOutput(log);
        ContainerOutput.Follower follower = output.new Follower();

        follower.onNext(frame(StreamType.STDOUT, "  CC [M]  /p/broken.o\n"));
        follower.onNext(frame(StreamType.STDERR, "/p/broken.c:5:16: error: 'x' undeclared\n"));
        follower.onNext(frame(StreamType.STDOUT, "make: Leaving directory\n"));

        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo("  CC [M]  /p/broken.o\n/p/broken.c:5:16: error: 'x' undeclared\nmake: Leaving directory\n");
        assertThat(output.stdout()).isEqualTo("  CC [M]  /p/broken.o\nmake: Leaving directory\n");
        assertThat(output.stderr()).isEqualTo("/p/broken.c:5:16: error: 'x' undeclared\n");
        assertThat(output.tail(2)).isEqualTo("/p/broken.c:5:16: error: 'x' undeclared\nmake: Leaving directory");
    }

    @Test
    void aLogThatCannotBeWrittenIsReportedAfterwardsWhileOutputIsStillKept() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        ContainerOutput output = new ContainerOutput(broken);

        output.new Follower().onNext(frame(StreamType.STDOUT, "kept\n"));

        assertThat(output.stdout()).isEqualTo("kept\n");
        assertThatThrownBy(output::rethrowWriteFailure)
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Could not write the container's output to the log")
                .hasRootCauseMessage("No space left on device");
    }

    private static Frame frame(StreamType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }
}
