package dev.livepatch.testkit.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelsTest {
    private static final String LIVEPATCH_CONFIG = """
            CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"
            CONFIG_LIVEPATCH=y
            CONFIG_HAVE_RELIABLE_STACKTRACE=y
            CONFIG_DYNAMIC_FTRACE_WITH_REGS=y
            """;

    @TempDir
    Path temp;

    private Path tree;
    private Cache cache;

    @BeforeEach
    void buildTree() throws IOException {
        tree = temp.resolve("linux");
        cache = new Cache(temp.resolve("cache"));
        write("arch/x86/boot/bzImage", "kernel image");
        write(".config", LIVEPATCH_CONFIG);
        write("Module.symvers", "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
        write("include/config/kernel.release", "6.1.119-lpt\n");
    }

    @Test
    void aCompleteBuildTreeIsAKernel() {
        Kernel kernel = Kernels.resolve(tree.toString(), cache, Progress.silent());

        assertThat(kernel)
                .isEqualTo(new Kernel(
                        "6.1.119-lpt",
                        tree.resolve("arch/x86/boot/bzImage"),
                        tree.resolve(".config"),
                        tree,
                        tree,
                        "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
                        new KernelOrigin.BuildTree(tree, "a8438c585bb50709")));
        assertThat(kernel.source()).isEqualTo("build tree " + tree + ", image a8438c585bb50709");
        assertThat(cache.root()).doesNotExist();
    }

    @Test
    void aRebuiltTreeIsAnotherKernelSoItGetsItsOwnImageAndSnapshot() throws IOException {
        String before =
                Kernels.resolve(tree.toString(), cache, Progress.silent()).source();
        write("arch/x86/boot/bzImage", "kernel image, rebuilt");

        assertThat(Kernels.resolve(tree.toString(), cache, Progress.silent()).source())
                .isNotEqualTo(before);
    }

    @Test
    void aTreeWithoutBzImageIsRefusedNamingItAndTheMakeCommand() throws IOException {
        Files.delete(tree.resolve("arch/x86/boot/bzImage"));

        assertThatThrownBy(() -> Kernels.resolve(tree.toString(), cache, Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessage("Kernel build tree " + tree + " is incomplete: arch/x86/boot/bzImage is missing."
                        + " Build it first with 'make -j$(nproc) bzImage modules'.");
    }

    @Test
    void aTreeWithoutModuleSymversIsRefused() throws IOException {
        Files.delete(tree.resolve("Module.symvers"));

        assertThatThrownBy(() -> Kernels.resolve(tree.toString(), cache, Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("Module.symvers is missing");
    }

    @Test
    void aFolderThatDoesNotExistIsRefused() {
        Path missing = temp.resolve("no-such-tree");

        assertThatThrownBy(() -> Kernels.resolve(missing.toString(), cache, Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessage("Kernel build tree " + missing + " does not exist. Give --kernel-dir the folder"
                        + " where 'make' built the kernel, or use --kernel debian.");
    }

    @Test
    void aTreeBuiltWithoutLivepatchIsRefusedNamingReleaseAndFolder() throws IOException {
        write(".config", LIVEPATCH_CONFIG.replace("CONFIG_LIVEPATCH=y", "# CONFIG_LIVEPATCH is not set"));

        assertThatThrownBy(() -> Kernels.resolve(tree.toString(), cache, Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessageStartingWith("Kernel 6.1.119-lpt (" + tree + ") cannot be livepatched")
                .hasMessageContaining("(found '# CONFIG_LIVEPATCH is not set')");
    }

    @Test
    void anArm64BuildTreeBootsItsImage() throws IOException {
        write(".config", "CONFIG_ARM64=y\n" + LIVEPATCH_CONFIG);
        write("arch/arm64/boot/Image", "arm64 kernel image");

        Kernel kernel = Kernels.resolve(tree.toString(), cache, Progress.silent());

        assertThat(kernel.image()).isEqualTo(tree.resolve("arch/arm64/boot/Image"));
        assertThat(kernel.arch()).isEqualTo(Arch.ARM64);
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
