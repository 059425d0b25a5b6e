package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.kernel.Kernel;
import org.apiguardian.api.API;

/** Checks that a module fits the kernel it is for and the way it will be used, before it is loaded anywhere. */
@API(status = INTERNAL, since = "0.1")
public final class ModuleChecks {
    private ModuleChecks() {}

    /** Refuses a module whose vermagic names another kernel release than {@code kernel}'s. */
    public static void requireBuiltFor(KernelModule module, Kernel kernel) {
        requireBuiltFor(module, kernel.release());
    }

    /** Refuses a module whose vermagic names another kernel release than {@code release} (e.g. {@code uname -r}). */
    public static void requireBuiltFor(KernelModule module, String release) {
        String vermagic = module.modInfo()
                .vermagic()
                .orElseThrow(() -> new ModuleException("Module " + module + " has no vermagic, so the kernel would"
                        + " refuse it; rebuild it with kbuild against kernel " + release + "."));
        String builtFor = module.modInfo().release().orElse("");
        if (!builtFor.equals(release)) {
            throw new ModuleException("Module " + module + " was built for kernel " + builtFor
                    + " (vermagic '" + vermagic + "'), but the target kernel is " + release
                    + "; the kernel would refuse to load it. Rebuild it against " + release
                    + "'s headers (e.g. ./testkit build --kernel debian:" + release
                    + ") or run it on kernel " + builtFor + ".");
        }
    }

    /** Refuses a module that does not declare itself a livepatch ({@code livepatch=Y}). */
    public static void requireLivepatch(KernelModule module) {
        if (!module.modInfo().livepatch()) {
            throw new ModuleException("Module " + module + " is not a livepatch: its .modinfo lacks livepatch=Y."
                    + " Add MODULE_INFO(livepatch, \"Y\"); to its source, or load it as a plain module.");
        }
    }

    /** Refuses a livepatch where a plain module is expected (a fixture or a patch target). */
    public static void requirePlainModule(KernelModule module) {
        if (module.modInfo().livepatch()) {
            throw new ModuleException("Module " + module + " is a livepatch (livepatch=Y), not a plain module."
                    + " Load it as a livepatch, or remove MODULE_INFO(livepatch, \"Y\") from its source.");
        }
    }
}
