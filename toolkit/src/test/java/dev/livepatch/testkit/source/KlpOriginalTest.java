package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KlpOriginalTest {
    private static void write(Path tree, String file) throws IOException {
        Files.createDirectories(tree.resolve(file).getParent());
        Files.writeString(tree.resolve(file), file);
    }

    @Test
    void recordsVmlinuxAndTheObjectOfEachModuleBelowTheTopAsKlpBuildsFirstStepWould(@TempDir Path tree)
            throws IOException {
        for (String file : new String[] {
            "vmlinux",
            "vmlinux.o",
            "Module.symvers",
            "fs/proc/cmdline.o",
            "drivers/virtio/virtio_pci.ko",
            "drivers/virtio/virtio_pci.o",
            "livepatch-old.ko",
            ".git/objects/x.ko",
            "klp-tmp/5-kmod/livepatch-x.ko"
        }) {
            write(tree, file);
        }

        assertThat(KlpOriginal.objects(tree)).containsExactly("drivers/virtio/virtio_pci.o", "vmlinux.o");
        KlpOriginal.record(tree, "0123456789abcdef");

        Path original = tree.resolve("klp-tmp/1-orig");
        assertThat(original.resolve("drivers/virtio/virtio_pci.o")).hasContent("drivers/virtio/virtio_pci.o");
        assertThat(original.resolve("vmlinux")).hasContent("vmlinux");
        assertThat(original.resolve("vmlinux.o")).exists();
        assertThat(original.resolve(".complete")).exists();
        assertThat(tree.resolve("klp-tmp/timestamp")).exists();
        assertThat(KlpOriginal.isRecorded(tree, "0123456789abcdef")).isTrue();
        assertThat(KlpOriginal.isRecorded(tree, "fedcba9876543210")).isFalse();
    }

    @Test
    void aNewBuildReplacesTheRecordedOne(@TempDir Path tree) throws IOException {
        write(tree, "vmlinux");
        write(tree, "vmlinux.o");
        write(tree, "Module.symvers");
        write(tree, "sound/gone.ko");
        write(tree, "sound/gone.o");
        KlpOriginal.record(tree, "0000000000000001");
        Files.delete(tree.resolve("sound/gone.ko"));

        KlpOriginal.record(tree, "0000000000000002");

        assertThat(tree.resolve("klp-tmp/1-orig/sound/gone.o")).doesNotExist();
        assertThat(KlpOriginal.isRecorded(tree, "0000000000000002")).isTrue();
    }

    @Test
    void withModversionsTheSymbolsWhoseCrcThePatchedBuildChangedAreNamedAndTheOriginalsPutBack(@TempDir Path tree)
            throws IOException {
        write(tree, "vmlinux");
        write(tree, "vmlinux.o");
        Files.writeString(tree.resolve(".config"), "CONFIG_MODULES=y\nCONFIG_MODVERSIONS=y\n");
        String original = "0x11111111\tproc_create\tvmlinux\tEXPORT_SYMBOL\t\n"
                + "0x22222222\tseq_puts\tvmlinux\tEXPORT_SYMBOL\t\n"
                + "0x33333333\tbm_register\tfs/binfmt_misc\tEXPORT_SYMBOL_GPL\t\n";
        Files.writeString(tree.resolve("Module.symvers"), original);
        KlpOriginal.record(tree, "0000000000000001");
        Files.writeString(
                tree.resolve("Module.symvers"),
                original.replace("0x11111111", "0x1234abcd")
                        + "0x44444444\tklp_new_export\tvmlinux\tEXPORT_SYMBOL\t\n");

        assertThat(KlpOriginal.changedSymbolVersions(tree))
                .containsExactly("proc_create (vmlinux): 0x11111111 -> 0x1234abcd");
        KlpOriginal.restoreSymbolVersions(tree);
        assertThat(tree.resolve("Module.symvers")).hasContent(original);
        assertThat(KlpOriginal.changedSymbolVersions(tree)).isEmpty();
    }

    @Test
    void withoutModversionsNoCrcIsCompared(@TempDir Path tree) throws IOException {
        write(tree, "vmlinux");
        write(tree, "vmlinux.o");
        Files.writeString(tree.resolve(".config"), "CONFIG_MODULES=y\n# CONFIG_MODVERSIONS is not set\n");
        Files.writeString(tree.resolve("Module.symvers"), "0x00000000\tproc_create\tvmlinux\tEXPORT_SYMBOL\t\n");
        KlpOriginal.record(tree, "0000000000000001");
        Files.writeString(tree.resolve("Module.symvers"), "0x00000001\tproc_create\tvmlinux\tEXPORT_SYMBOL\t\n");

        assertThat(KlpOriginal.changedSymbolVersions(tree)).isEmpty();
    }
}
