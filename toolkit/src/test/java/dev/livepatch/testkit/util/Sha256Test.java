package dev.livepatch.testkit.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known SHA-256 values (FIPS 180-2's "abc", and sha256sum's), so that no cache key changes by accident. */
class Sha256Test {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesBytesAndTextInLowerCaseHex() {
        assertThat(Sha256.of(new byte[0]).hex()).isEqualTo(EMPTY);
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
        assertThat(Sha256.of("abc").hex()).isEqualTo(ABC);
    }

    @Test
    void hashesTextAsUtf8() {
        assertThat(Sha256.of("ü").hex())
                .isEqualTo("607474ca475a9724d7360aba71a56d5df77e61350e3f724cfa1f46e857e2d85f")
                .isEqualTo(Sha256.of(new byte[] {(byte) 0xc3, (byte) 0xbc}).hex());
    }

    @Test
    void givesTheRawBytes() {
        assertThat(Sha256.of("abc").bytes())
                .hasSize(32)
                .isEqualTo(HexFormat.of().parseHex(ABC));
    }

    @Test
    void aPrefixIsTheFirstHexDigits() {
        assertThat(Sha256.of("abc").prefix(16)).isEqualTo("ba7816bf8f01cfea");
        assertThat(Sha256.of("abc").prefix(12)).isEqualTo("ba7816bf8f01");
    }

    @Test
    void hashesAFileLargerThanOneReadLikeItsBytes(@TempDir Path folder) throws IOException {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(folder.resolve("big.bin"), content);

        assertThat(Sha256.of(file).hex())
                .isEqualTo("e549418eeef3da47ab5767c03c69bbc1766704860f400b13f9f90bc22942fe80")
                .isEqualTo(Sha256.of(content).hex());
    }

    @Test
    void partsAddedInTurnHashLikeTheirConcatenation(@TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("b"), "b");

        assertThat(new Sha256().add("a").add((byte) 0).add(file).hex())
                .isEqualTo("59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
        assertThat(new Sha256().hex()).isEqualTo(EMPTY);
    }

    @Test
    void aHashIsReadAsOftenAsWantedButTakesNothingMoreOnceRead() {
        Sha256 hash = Sha256.of("abc");

        assertThat(hash.hex()).isEqualTo(ABC);
        assertThat(hash.hex()).isEqualTo(ABC);
        assertThatThrownBy(() -> hash.add("d"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This SHA-256 is finished: its result was read");
    }
}
