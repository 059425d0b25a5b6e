package dev.livepatch.testkit.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.ModinfoObjects;
import dev.livepatch.testkit.kernel.Kernel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ShippedModulesTest {
    @TempDir
    Path folder;

    private Kernel kernel(Path modules) {
        return new Kernel(
                "7.2.13",
                folder.resolve("vmlinuz"),
                folder.resolve("config"),
                modules,
                modules,
                "gcc-16",
                "Debian sid linux-source-7.2 7.2.13-1");
    }

    @Test
    void aPlainModuleIsFoundByTheNameModprobeTakes() throws IOException {
        Path modules = folder.resolve("lib/modules/7.2.13");
        ModinfoObjects.compile(modules.resolve("kernel/fs/binfmt_misc.ko"), "license=GPL", "name=binfmt_misc");
        ModinfoObjects.compile(modules.resolve("kernel/sound/snd-hda-intel.ko"), "license=GPL", "name=snd_hda_intel");
        ShippedModules shipped = new ShippedModules(kernel(modules), new Cache(folder.resolve("cache")));

        assertThat(shipped.find("binfmt_misc").path()).isEqualTo(modules.resolve("kernel/fs/binfmt_misc.ko"));
        assertThat(shipped.find("snd-hda-intel").name()).isEqualTo("snd_hda_intel");
    }

    @Test
    void aCompressedModuleIsKeptUncompressedInTheCache() throws IOException {
        Path modules = folder.resolve("lib/modules/7.2.13");
        Path plain = ModinfoObjects.compile(folder.resolve("build/binfmt_misc.ko"), "license=GPL", "name=binfmt_misc");
        Path compressed = modules.resolve("kernel/fs/binfmt_misc.ko.xz");
        Files.createDirectories(compressed.getParent());
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(compressed), new LZMA2Options())) {
            out.write(Files.readAllBytes(plain));
        }

        KernelModule module =
                new ShippedModules(kernel(modules), new Cache(folder.resolve("cache"))).find("binfmt_misc");

        assertThat(module.path()).startsWith(folder.resolve("cache")).hasFileName("binfmt_misc.ko");
        assertThat(Files.readAllBytes(module.path())).isEqualTo(Files.readAllBytes(plain));
        assertThat(module.name()).isEqualTo("binfmt_misc");
    }

    @Test
    void aNameThatIsNeitherAPatchNorAShippedModuleSaysWhereItLooked() throws IOException {
        Path modules = Files.createDirectories(folder.resolve("lib/modules/7.2.13"));

        assertThatThrownBy(() ->
                        new ShippedModules(kernel(modules), new Cache(folder.resolve("cache"))).find("lpt_cmdlin"))
                .isInstanceOf(ModuleException.class)
                .hasMessage("No patch folder is named lpt_cmdlin, and kernel 7.2.13 ships no module of that name"
                        + " (looked in " + modules + "; it may be built into the kernel or not configured). Give a"
                        + " folder of the patches folder, a built .ko or the name of a module the kernel ships.");
    }
}
