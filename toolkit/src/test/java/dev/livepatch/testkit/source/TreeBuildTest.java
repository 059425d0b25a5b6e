package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeBuildTest {
    private static final String RELEASE = "7.2.13";

    @TempDir
    Path tree;

    private TreeFiles files;

    @TempDir
    Path cacheFolder;

    private final List<String> makes = new ArrayList<>();

    @Test
    void namesATreeByItsFolderAndAHashOfItsPath() {
        assertThat(TreeBuild.treeKey(Path.of("/src/linux"))).isEqualTo("linux-bcf2a87b9068");
    }

    @BeforeEach
    void aTreeWithAGuestConfiguration() throws IOException {
        files = new TreeFiles(tree);
        write(".config", GuestFragments.of(Arch.X86_64).guest().text());
        write("fs/proc/version.c", "original\n");
    }

    private void write(String path, String content) throws IOException {
        files.write(path, content);
    }

    /** A make that builds the image from the one source, as kbuild would: objects, records, link. */
    private final TreeShell fakeMake = new TreeShell() {
        @Override
        public ExecResult run(
                List<String> command,
                Map<String, String> environment,
                List<Path> readable,
                List<Path> writable,
                Duration timeout,
                OutputStream log) {
            try {
                String install = command.stream()
                        .filter(word -> word.startsWith("INSTALL_MOD_PATH="))
                        .findFirst()
                        .orElse("");
                if (!install.isEmpty()) {
                    Path modules = Path.of(install.substring("INSTALL_MOD_PATH=".length()))
                            .resolve("lib/modules/" + RELEASE);
                    Files.createDirectories(modules);
                    Files.writeString(modules.resolve("modules.builtin"), "");
                } else if (command.contains("vmlinux") || command.contains("bzImage")) {
                    makes.add(String.join(" ", command));
                    String source = Files.readString(tree.resolve("fs/proc/version.c"));
                    write("include/config/kernel.release", RELEASE + "\n");
                    write("fs/proc/version.o", source);
                    write("fs/proc/.version.o.cmd", "deps");
                    write("arch/x86/boot/bzImage", "kernel of " + source);
                    write("arch/x86/boot/.bzImage.cmd", "link");
                }
                return new ExecResult(String.join(" ", command), 0, "", "", Duration.ZERO);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String describe() {
            return "a fake make";
        }
    };

    private Kernel build() {
        KernelTree kernelTree = new KernelTree(tree, "a test tree", 16);
        Progress progress = Progress.silent();
        return new TreeBuild(
                        new TreeJob(kernelTree, fakeMake, new Cache(cacheFolder), progress, 2, Duration.ofMinutes(1)))
                .build();
    }

    @Test
    void aTreeUnchangedSinceItsBuildIsNotMadeAgain() {
        Kernel first = build();
        Kernel second = build();

        assertThat(makes).hasSize(1);
        assertThat(second.origin()).isEqualTo(first.origin());
        assertThat(second.image()).isEqualTo(first.image());
    }

    @Test
    void anEditedSourceIsMade() throws IOException {
        Kernel first = build();

        write("fs/proc/version.c", "edited\n");
        Kernel second = build();

        assertThat(makes).hasSize(2);
        assertThat(second.image()).isNotEqualTo(first.image()).hasContent("kernel of edited");
    }

    @Test
    void klpBuildsResidueIsTheSameKernelWithoutMake() throws IOException {
        Kernel first = build();
        TreeListing before = TreeListing.of(tree);
        TreeState state = TreeState.read(tree).orElseThrow();

        write("fs/proc/version.o", "patched");
        write("fs/proc/version.c", "original\n");
        state.afterKlpBuild(before, TreeListing.of(tree), Set.of("fs/proc/version.c"))
                .write(tree);
        Kernel second = build();

        assertThat(makes).hasSize(1);
        assertThat(second.image()).isEqualTo(first.image());
    }

    @Test
    void aDamagedStateOrAnotherToolchainMakesAgain() throws IOException {
        build();

        Files.writeString(tree.resolve(TreeState.FILE), "build x\n");
        build();
        TreeState state = TreeState.read(tree).orElseThrow();
        new TreeState(
                        "another toolchain",
                        state.buildId(),
                        state.release(),
                        state.entryKey(),
                        state.built(),
                        state.residue())
                .write(tree);
        build();

        assertThat(makes).hasSize(3);
    }
}
