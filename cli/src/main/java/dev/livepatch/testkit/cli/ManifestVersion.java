package dev.livepatch.testkit.cli;

import java.util.Optional;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the command line's jar manifest ({@code Implementation-Version}). */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Optional.ofNullable(Main.class.getPackage().getImplementationVersion())
                .orElse("(unknown: not run from the built jar)");
        return new String[] {
            "livepatch-testkit " + version,
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
