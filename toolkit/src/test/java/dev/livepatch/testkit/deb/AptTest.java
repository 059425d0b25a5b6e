package dev.livepatch.testkit.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against this host's apt, offline: only {@code apt-cache} runs. */
class AptTest {
    private static final String PACKAGE = "base-files";

    @Test
    void downloadsIntoTheCachesDebsFolderAndTakesWhatIsAlreadyThere(@TempDir Path root) throws IOException {
        HostPrograms programs = HostPrograms.declared();
        assumeTrue(programs.find("apt-cache").flatMap(programs::locate).isPresent(), "apt-cache is not installed");
        Apt apt = Apt.ofHost(new Cache(root), Progress.silent());
        assumeTrue(apt.has(PACKAGE), "this host's apt knows no " + PACKAGE + " (no package lists?)");
        String fileName = apt.candidates(List.of(PACKAGE)).get(PACKAGE).fileName();
        Path downloaded =
                Files.writeString(Files.createDirectories(root.resolve("debs")).resolve(fileName), "deb");

        assertThat(apt.download(List.of(PACKAGE)))
                .singleElement()
                .satisfies(deb -> assertThat(deb.file()).isEqualTo(downloaded).hasContent("deb"));
    }
}
