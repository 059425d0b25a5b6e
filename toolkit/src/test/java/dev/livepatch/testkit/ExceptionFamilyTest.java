package dev.livepatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every failure reaches the caller as a TestkitException that names its subject, never as a raw I/O error. */
class ExceptionFamilyTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Pattern RAW = Pattern.compile("new UncheckedIOException\\(|extends RuntimeException\\b");

    @Test
    void noLayerThrowsARawUncheckedIoExceptionOrStartsAnExceptionFamilyOfItsOwn() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path sources :
                List.of(REPOSITORY.resolve("toolkit/src/main/java"), REPOSITORY.resolve("cli/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    if (RAW.matcher(text).find() && !file.endsWith("TestkitException.java")) {
                        found.add(REPOSITORY.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(found)
                .as("sources that throw UncheckedIOException or extend RuntimeException")
                .isEmpty();
    }
}
