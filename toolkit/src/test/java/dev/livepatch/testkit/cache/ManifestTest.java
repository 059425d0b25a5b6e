package dev.livepatch.testkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @Test
    void listsEachFileWithItsSizeAndSha256(@TempDir Path entry) throws IOException {
        Files.writeString(Files.createDirectories(entry.resolve("boot")).resolve("a"), "hello\n");

        assertThat(Manifest.of(entry).items())
                .containsExactly(new Manifest.Item(
                        "boot/a", 6, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", null));
    }
}
