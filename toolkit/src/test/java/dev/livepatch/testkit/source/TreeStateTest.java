package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeStateTest {
    @TempDir
    Path tree;

    private TreeFiles files;

    @BeforeEach
    void writeIntoTheTree() {
        files = new TreeFiles(tree);
    }

    private void write(String path, String content) throws IOException {
        files.write(path, content);
    }

    /** A built tree: a source, its object and record, the link. */
    private TreeState built() throws IOException {
        write("fs/proc/version.c", "original\n");
        write("scripts/setlocalversion", "#!/bin/sh\n");
        write("fs/proc/version.o", "original object");
        write("fs/proc/.version.o.cmd", "deps");
        write("vmlinux", "original kernel");
        write(".vmlinux.cmd", "link");
        return new TreeState(
                "toolchain",
                "build1",
                "7.2.13",
                "linux-1-build1",
                TreeListing.of(tree).fingerprint(),
                Optional.empty());
    }

    /** What klp-build's patched build leaves: sources put back (new times), patched objects and link. */
    private void klpBuildResidue() throws IOException {
        write("scripts/setlocalversion", "#!/bin/sh\n");
        write("fs/proc/version.o", "patched object");
        write("fs/proc/.version.o.cmd", "deps");
        write("vmlinux", "patched kernel");
        write(".tmp_vmlinux1", "link");
        write("System.map", "map");
        write("include/config/auto.conf", "conf");
        write("fs/proc/version.c", "original\n");
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        TreeState state = new TreeState("id", "b", "7.2.13", "key", "f1", Optional.of("f2"));
        state.write(tree);

        assertThat(TreeState.read(tree)).contains(state);
        assertThat(Files.exists(tree.resolve(TreeState.PARTIAL))).isFalse();
    }

    @Test
    void aStateThatDoesNotReadBackWholeIsNotTrusted() throws IOException {
        new TreeState("id", "b", "7.2.13", "key", "f1", Optional.empty()).write(tree);
        Path file = tree.resolve(TreeState.FILE);
        String text = Files.readString(file);

        Files.writeString(file, text.replace("build b", "build c"));
        assertThat(TreeState.read(tree)).isEmpty();

        Files.writeString(file, text.substring(0, text.length() / 2));
        assertThat(TreeState.read(tree)).isEmpty();

        Files.writeString(file, "");
        assertThat(TreeState.read(tree)).isEmpty();

        Files.delete(file);
        assertThat(TreeState.read(tree)).isEmpty();
    }

    @Test
    void klpBuildsResidueIsStillTheBuild() throws IOException {
        TreeState state = built();
        TreeListing before = TreeListing.of(tree);

        klpBuildResidue();
        TreeListing after = TreeListing.of(tree);
        TreeState next = state.afterKlpBuild(before, after, Set.of("fs/proc/version.c", "scripts/setlocalversion"));

        assertThat(next.residue()).contains(after.fingerprint());
        assertThat(next.describes(after.fingerprint())).isTrue();
        assertThat(next.describes(before.fingerprint())).isTrue();
    }

    @Test
    void aSourceEditedWhileKlpBuildRanIsNotResidue() throws IOException {
        TreeState state = built();
        write("kernel/fork.c", "original\n");
        state = new TreeState(
                "toolchain", "build1", "7.2.13", "key", TreeListing.of(tree).fingerprint(), Optional.empty());
        TreeListing before = TreeListing.of(tree);

        klpBuildResidue();
        write("kernel/fork.c", "edited by the user\n");
        TreeListing after = TreeListing.of(tree);
        TreeState next = state.afterKlpBuild(before, after, Set.of("fs/proc/version.c", "scripts/setlocalversion"));

        assertThat(next.residue()).isEmpty();
        assertThat(next.describes(after.fingerprint())).isFalse();
    }

    @Test
    void aKlpBuildOnATreeThatWasNotTheBuildLeavesNoResidue() throws IOException {
        TreeState state = built();
        write("fs/proc/version.c", "edited before klp-build\n");
        TreeListing before = TreeListing.of(tree);

        klpBuildResidue();
        TreeState next = state.afterKlpBuild(
                before, TreeListing.of(tree), Set.of("fs/proc/version.c", "scripts/setlocalversion"));

        assertThat(next.residue()).isEmpty();
    }

    @Test
    void aNewResidueReplacesTheLastOne() throws IOException {
        TreeState state = built();
        TreeListing first = TreeListing.of(tree);
        klpBuildResidue();
        TreeListing second = TreeListing.of(tree);
        state = state.afterKlpBuild(first, second, Set.of("fs/proc/version.c", "scripts/setlocalversion"));

        klpBuildResidue();
        TreeListing third = TreeListing.of(tree);
        state = state.afterKlpBuild(second, third, Set.of("fs/proc/version.c", "scripts/setlocalversion"));

        assertThat(state.describes(third.fingerprint())).isTrue();
        assertThat(state.describes(second.fingerprint())).isFalse();
    }
}
