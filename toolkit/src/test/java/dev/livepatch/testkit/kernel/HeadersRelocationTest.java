package dev.livepatch.testkit.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's headers Makefile names itself and the common headers by absolute path; unpacked elsewhere, make must still find both. */
class HeadersRelocationTest {
    @TempDir
    Path root;

    @Test
    void theRelocatedMakefileFindsTheCommonHeadersAndNamesItsOwnFolderAsOutput() throws IOException {
        Path headers = Files.createDirectories(root.resolve("usr/src/linux-headers-7.2.13+deb14-amd64"));
        Path common = Files.createDirectories(root.resolve("usr/src/linux-headers-7.2.13+deb14-common"));
        Files.writeString(
                headers.resolve("Makefile"),
                "KBUILD_OUTPUT=/usr/src/linux-headers-7.2.13+deb14-amd64\n"
                        + "include /usr/src/linux-headers-7.2.13+deb14-common/Makefile\n");
        // The common Makefile reads KBUILD_OUTPUT only after its own inclusion, as the kernel's top Makefile does.
        Files.writeString(common.resolve("Makefile"), "all:\n\t@echo output=$(KBUILD_OUTPUT)\n");

        DebianKernels.relocateHeaders(headers.resolve("Makefile"));
        ExecResult make =
                ProcessRunner.create().run(List.of("make", "-s", "-C", headers.toString()), Duration.ofSeconds(30));

        assertThat(make.stdout().strip()).isEqualTo("output=" + headers.toRealPath());
        assertThat(Files.readString(headers.resolve("Makefile"))).doesNotContain("/usr/src/");
    }
}
