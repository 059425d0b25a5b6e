package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which kernel a command uses, the same on every command: {@code --kernel <spec>} (default {@code livepatch.kernel},
 * else {@code debian}) or {@code --kernel-dir <build tree>}, for {@code --arch} (default {@code livepatch.arch}, else
 * this host's). A spec or architecture that does not parse is a usage error.
 */
final class KernelOptions {
    static final String DESCRIPTION = "The kernel: " + KernelSpec.USAGE + " (default: livepatch.kernel, else debian).";

    @Option(names = "--kernel", paramLabel = "SPEC", converter = SpecConverter.class, description = DESCRIPTION)
    KernelSpec kernel;

    @Option(
            names = "--kernel-dir",
            paramLabel = "PATH",
            description = "A kernel build tree someone already built, instead of --kernel.")
    Path kernelDir;

    @Option(
            names = "--arch",
            paramLabel = "ARCH",
            converter = ArchConverter.class,
            description = "The guest's architecture: " + Arch.NAMES + " (default: livepatch.arch, else this host's);"
                    + " another than this host's is cross-built and emulated.")
    Arch arch;

    /** The architecture named on the command line, else the setting's. */
    Arch arch() {
        return arch != null ? arch : Settings.ARCH.get();
    }

    /** The kernel named on the command line, if one was. */
    Optional<KernelSpec> chosen() {
        return kernelDir != null ? Optional.of(new KernelSpec.BuildTree(kernelDir)) : Optional.ofNullable(kernel);
    }

    KernelSpec spec() {
        return chosen().orElseGet(() -> KernelSpec.parse(Settings.KERNEL.get()));
    }

    /** Options that name exactly {@code kernel}, which these options resolved to, again later. */
    List<String> pinning(Kernel kernel) {
        KernelSpec pinned = spec().pinned(kernel);
        return List.of(kernelDir != null ? "--kernel-dir" : "--kernel", pinned.toString());
    }

    Kernel resolve(Progress progress) {
        return resolve(spec(), progress);
    }

    /** {@code spec}'s kernel for these options' architecture (a {@code --kernels} entry). */
    Kernel resolve(KernelSpec spec, Progress progress) {
        return Kernels.resolve(spec, arch(), Cache.standard(), progress);
    }

    /** picocli's way to {@link Arch#parse}: an unknown architecture is reported with the option. */
    static final class ArchConverter implements CommandLine.ITypeConverter<Arch> {
        @Override
        public Arch convert(String value) {
            try {
                return Arch.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli's way to {@link KernelSpec#parse}: a spec that does not parse is reported with the option. */
    static final class SpecConverter implements CommandLine.ITypeConverter<KernelSpec> {
        @Override
        public KernelSpec convert(String value) {
            try {
                return KernelSpec.parse(value);
            } catch (KernelException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
