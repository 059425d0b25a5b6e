package dev.livepatch.testkit.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Progress progress(boolean terminal) {
        return new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStepThatReturnsIsShownDoneWithItsResult() {
        String result = progress(false).step("Building toolchain image", step -> "image");

        assertThat(result).isEqualTo("image");
        assertThat(printed()).startsWith("✓ Building toolchain image (").doesNotContain("✗");
    }

    @Test
    void aStepThatThrowsIsShownFailedWithTheFirstLineOfTheReasonAndTheErrorStillReachesTheCaller() {
        assertThatThrownBy(() -> progress(false).run("Building toolchain image", step -> {
                    throw new IllegalStateException("needs mmdebstrap, which is not installed\nInstall it with ...");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Install it with");

        assertThat(printed())
                .startsWith("✗ Building toolchain image (failed after ")
                .contains("): needs mmdebstrap, which is not installed")
                .doesNotContain("✓")
                .doesNotContain("Install it with");
    }

    @Test
    void checkedExceptionsPassThroughAsThemselves() {
        assertThatThrownBy(() -> progress(false).run("Unpacking", step -> {
                    throw new IOException("disk full");
                }))
                .isInstanceOf(IOException.class);
        assertThat(printed()).contains("✗ Unpacking").contains("disk full");
    }

    @Test
    void onATerminalTheStepLineIsRewrittenInPlaceAndEndsFailed() {
        Progress.Step step = progress(true).start("Booting");
        step.update("(log: x)");
        step.failed("QEMU exited with status 1");
        step.succeeded();

        assertThat(printed())
                .contains("\r\033[K… Booting (log: x)")
                .endsWith("\r\033[K✗ Booting (failed after 0 ms): QEMU exited with status 1\n".replace("0 ms", took()))
                .doesNotContain("✓");
    }

    private String took() {
        String out = printed();
        int start = out.indexOf("(failed after ") + "(failed after ".length();
        return out.substring(start, out.indexOf(')', start));
    }

    @Test
    void anErrorWithoutMessageIsNamedByItsType() {
        assertThat(Progress.reason(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
