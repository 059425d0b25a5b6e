package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.fail;

import dev.livepatch.testkit.config.Settings;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/** Skips a test when no Docker engine answers, or fails it when prerequisites are required (CI). */
final class DockerPrerequisite {
    private DockerPrerequisite() {}

    static void requireEngine() {
        Optional<String> problem = DockerEngine.standard().problem();
        if (problem.isEmpty()) {
            return;
        }
        if (Settings.prerequisitesRequired()) {
            fail("Docker is required (CI or livepatch.require=true), but " + problem.get());
        }
        throw new TestAbortedException("Needs a Docker engine, but " + problem.get());
    }
}
