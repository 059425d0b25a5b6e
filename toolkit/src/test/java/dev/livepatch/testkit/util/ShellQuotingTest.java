package dev.livepatch.testkit.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {
    @Test
    void quotesAWordOnlyWhenTheShellWouldReadItOtherwise() {
        assertThat(ShellQuoting.quote("/tmp/lpt/ab/x.ko")).isEqualTo("/tmp/lpt/ab/x.ko");
        assertThat(ShellQuoting.quote("a=1,b:2+c")).isEqualTo("a=1,b:2+c");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThat(ShellQuoting.quote("$(reboot)")).isEqualTo("'$(reboot)'");
        assertThat(ShellQuoting.quote("two words")).isEqualTo("'two words'");
    }

    @Test
    void singleQuotesEveryWordEvenAPlainOne() {
        assertThat(ShellQuoting.singleQuoted("/tmp/x")).isEqualTo("'/tmp/x'");
        assertThat(ShellQuoting.singleQuoted("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(ShellQuoting.singleQuoted("")).isEqualTo("''");
    }

    @Test
    void theShellReadsBackEveryQuotedWordAsItWas() throws Exception {
        for (String word : new String[] {"plain", "it's", "a 'b' \"c\"", "$(reboot) `x` \\ *", "", "'"}) {
            Process echo = new ProcessBuilder("sh", "-c", "printf %s " + ShellQuoting.quote(word)).start();

            assertThat(new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(word);
            assertThat(echo.waitFor()).isZero();
        }
    }
}
