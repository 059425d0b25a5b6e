package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.kernel.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTreeTest {
    @Test
    void refusesAFolderThatIsNotAKernelTreeSayingWhatIsMissing(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("Makefile"), "all:\n");

        assertThatThrownBy(() -> KernelTree.requireTree(folder))
                .isInstanceOf(KernelException.class)
                .hasMessage(folder + " is not a Linux source tree: it has no Kconfig. Give --kernel source:<the top"
                        + " folder of a Linux source tree> (where 'make' is run).");
    }

    @Test
    void refusesAMissingFolder(@TempDir Path folder) {
        assertThatThrownBy(() -> KernelTree.requireTree(folder.resolve("linux")))
                .isInstanceOf(KernelException.class)
                .hasMessageStartingWith("Kernel source tree " + folder.resolve("linux") + " does not exist.");
    }

    @Test
    void acceptsATreeAndTellsWhetherItShipsKlpBuild(@TempDir Path folder) throws IOException {
        for (String file : new String[] {"Makefile", "Kconfig", "arch/x86/Kconfig"}) {
            Files.createDirectories(folder.resolve(file).getParent());
            Files.writeString(folder.resolve(file), "");
        }
        Files.createDirectories(folder.resolve("scripts/kconfig"));
        Path root = KernelTree.requireTree(folder);
        assertThat(new KernelTree(root, root.toString(), 16).hasKlpBuild()).isFalse();

        Path klpBuild =
                Files.createDirectories(folder.resolve("scripts/livepatch")).resolve("klp-build");
        Files.writeString(klpBuild, "#!/bin/bash\n");
        klpBuild.toFile().setExecutable(true);

        assertThat(new KernelTree(root, root.toString(), 16).hasKlpBuild()).isTrue();
        assertThat(new KernelTree(root, "Debian sid linux-source-7.2 7.2.13-1", 16).describe())
                .isEqualTo("Debian sid linux-source-7.2 7.2.13-1 (" + root + ")");
        assertThat(new KernelTree(root, "Debian sid linux-source-7.2 7.2.13-1 (" + root + ")", 16).describe())
                .as("a tree named again from its kernel's description")
                .isEqualTo("Debian sid linux-source-7.2 7.2.13-1 (" + root + ")");
    }
}
