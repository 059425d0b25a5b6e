package dev.livepatch.testkit.ssh.kept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTranscriptTest {
    @TempDir
    Path folder;

    private final SessionTranscript transcript = new SessionTranscript(
            new byte[] {1, 2, 3},
            "SSH-2.0-client\r\n".getBytes(StandardCharsets.US_ASCII),
            "SSH-2.0-server\r\n".getBytes(StandardCharsets.US_ASCII),
            new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 16, 16, 16, 16, 16},
            7);

    @Test
    void aWrittenTranscriptReadsBackTheSame() throws IOException {
        Path file = folder.resolve("t");
        transcript.write(file);

        assertThat(SessionTranscript.read(file)).isEqualTo(transcript);
    }

    @Test
    void readsATranscriptThatAnEarlierRunWrote() throws IOException {
        Path file = Files.write(
                folder.resolve("t"),
                HexFormat.of()
                        .parseHex("4c505453000000020000000173000000016300000002737600000002000000010000000200000003"
                                + "0fccfe920e1ce8c0353227c9d2810e880323459a2522b744669c2a1a89de7f7f"));

        assertThat(SessionTranscript.read(file))
                .isEqualTo(new SessionTranscript(
                        "s".getBytes(StandardCharsets.US_ASCII),
                        "c".getBytes(StandardCharsets.US_ASCII),
                        "sv".getBytes(StandardCharsets.US_ASCII),
                        new int[] {1, 2},
                        3));
    }

    @Test
    void aDamagedTranscriptIsFoundNotTrusted() throws IOException {
        Path file = folder.resolve("t");
        transcript.write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[12] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> SessionTranscript.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " is damaged: its checksum does not match its content");
    }

    @Test
    void aTruncatedTranscriptIsFoundNotTrusted() throws IOException {
        Path file = folder.resolve("t");
        Files.write(file, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SessionTranscript.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " is too short to be a session transcript (3 bytes)");
    }
}
