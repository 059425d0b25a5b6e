package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.module.ModuleChecks;
import dev.livepatch.testkit.module.ModuleException;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import java.nio.file.Path;
import java.util.Locale;

/** Checks a module built from a patch: it is the patch's module, for the kernel's release, of the manifest's kind. */
final class BuiltModuleChecks {
    private BuiltModuleChecks() {}

    static ModInfo check(Kernel kernel, PatchSource source, Path ko) {
        try {
            KernelModule module = KernelModule.read(ko);
            if (!module.name().equals(source.name())) {
                throw new ModuleException(
                        "Module " + module + " calls itself '" + module.name() + "', not '" + source.name() + "'.");
            }
            ModuleChecks.requireBuiltFor(module, kernel);
            if (source.kind() == PatchKind.LIVEPATCH) {
                ModuleChecks.requireLivepatch(module);
            } else {
                ModuleChecks.requirePlainModule(module);
            }
            return module.modInfo();
        } catch (ModuleException e) {
            throw new ModuleBuildException(
                    "Patch " + source.name() + " (" + source.directory() + ", kind "
                            + source.kind().name().toLowerCase(Locale.ROOT)
                            + ") did not give a usable module: "
                            + e.getMessage(),
                    e);
        }
    }
}
