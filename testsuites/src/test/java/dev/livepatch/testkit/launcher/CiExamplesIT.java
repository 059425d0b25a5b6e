package dev.livepatch.testkit.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI files that gate a change across kernels ({@code examples/ci/}) are read by each CI's own parser: GitHub's
 * workflow parser, as published on npm, and gitlab-ci-local's validator with the JSON schema GitLab publishes. A
 * mistyped key fails either. The parsers are installed without their install scripts: gitlab-ci-local's native
 * regular expression module, which the validator does not use, cannot be built from the npm registry alone.
 */
class CiExamplesIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path EXAMPLES = REPOSITORY.resolve("examples/ci");
    private static final Path PARSERS = Path.of("target", "ci-parsers").toAbsolutePath();
    private static final Path SCRIPTS =
            Path.of("src", "test", "resources", "ci").toAbsolutePath();
    private static final List<String> PACKAGES = List.of("@actions/workflow-parser@0.3.61", "gitlab-ci-local@4.60.0");
    private static final Duration INSTALL = Duration.ofMinutes(5);
    private static final Duration PARSE = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    @BeforeAll
    static void installTheParsers() throws IOException {
        Files.createDirectories(PARSERS);
        if (Files.isDirectory(PARSERS.resolve("node_modules/gitlab-ci-local"))
                && Files.isDirectory(PARSERS.resolve("node_modules/@actions/workflow-parser"))) {
            return;
        }
        Files.writeString(PARSERS.resolve("package.json"), "{\"private\": true}\n", StandardCharsets.UTF_8);
        ExecResult install = ProcessRunner.create()
                .inDirectory(PARSERS)
                .exec(
                        List.of(
                                "npm",
                                "install",
                                "--ignore-scripts",
                                "--no-audit",
                                "--no-fund",
                                "--loglevel=error",
                                PACKAGES.get(0),
                                PACKAGES.get(1)),
                        INSTALL);
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
    }

    @Test
    void theGithubWorkflowParsesAndConvertsWithGithubsOwnParser() {
        ExecResult parsed = github(EXAMPLES.resolve("github/livepatch-gate.yml"));

        assertThat(parsed.exitCode()).as(parsed.stderr()).isZero();
        assertThat(parsed.stdout()).isEqualTo("jobs: check, merge\n");
    }

    @Test
    void aMistypedKeyInTheGithubWorkflowIsAnErrorWithItsLine() throws IOException {
        Path broken = folder.resolve("broken.yml");
        Files.writeString(
                broken,
                Files.readString(EXAMPLES.resolve("github/livepatch-gate.yml")).replaceFirst("runs-on:", "runs-onn:"));

        ExecResult parsed = github(broken);

        assertThat(parsed.exitCode()).isEqualTo(1);
        assertThat(parsed.stderr())
                .contains("Unexpected value 'runs-onn'")
                .contains("Required property is missing: runs-on");
    }

    @Test
    void theGitlabPipelineValidatesAgainstGitlabsSchema() {
        ExecResult checked = gitlab(EXAMPLES.resolve("gitlab/.gitlab-ci.yml"));

        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
        assertThat(checked.stdout()).isEqualTo("jobs: check, merge reports\n");
    }

    @Test
    void aMistypedKeyInTheGitlabPipelineFailsItsSchema() throws IOException {
        Path broken = folder.resolve(".gitlab-ci.yml");
        Files.writeString(
                broken,
                Files.readString(EXAMPLES.resolve("gitlab/.gitlab-ci.yml"))
                        .replace("  when: always\n  script:", "  whenn: always\n  script:"));

        ExecResult checked = gitlab(broken);

        assertThat(checked.exitCode()).isEqualTo(1);
        assertThat(checked.stderr()).contains("'whenn' property is not expected to be here at merge reports");
    }

    private ExecResult github(Path workflow) {
        return ProcessRunner.create()
                .inDirectory(PARSERS)
                .exec(
                        List.of(
                                "node",
                                "--no-warnings",
                                "--experimental-loader",
                                SCRIPTS.resolve("json-loader.mjs").toUri().toString(),
                                besideParsers("check-github-workflow.mjs").toString(),
                                workflow.toString()),
                        PARSE);
    }

    private ExecResult gitlab(Path pipeline) {
        return ProcessRunner.create()
                .inDirectory(PARSERS)
                .exec(List.of("node", besideParsers("check-gitlab-ci.mjs").toString(), pipeline.toString()), PARSE);
    }

    /** A script placed beside the parsers, so that Node.js resolves their packages from there. */
    private static Path besideParsers(String script) {
        try {
            return Files.copy(SCRIPTS.resolve(script), PARSERS.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AssertionError("Could not place " + script + " beside the parsers", e);
        }
    }
}
