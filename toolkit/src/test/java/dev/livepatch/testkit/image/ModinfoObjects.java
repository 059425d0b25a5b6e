package dev.livepatch.testkit.image;

import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Relocatable objects compiled by gcc whose {@code .modinfo} section holds the given strings, in order. */
public final class ModinfoObjects {
    private ModinfoObjects() {}

    public static Path compile(Path object, String... modinfo) throws IOException {
        StringBuilder source = new StringBuilder("int module_marker(void) { return 42; }\n");
        for (int i = 0; i < modinfo.length; i++) {
            source.append("static const char modinfo_")
                    .append(i)
                    .append("[] __attribute__((section(\".modinfo\"), used, aligned(1))) = \"")
                    .append(modinfo[i].replace("\0", "\\0"))
                    .append("\";\n");
        }
        Files.createDirectories(object.getParent());
        Path c = Files.createTempFile(object.getParent(), "modinfo", ".c");
        try {
            Files.writeString(c, source);
            ProcessRunner.create()
                    .run(
                            List.of("gcc", "-c", "-fno-toplevel-reorder", "-o", object.toString(), c.toString()),
                            Duration.ofSeconds(60));
        } finally {
            Files.delete(c);
        }
        return object;
    }
}
