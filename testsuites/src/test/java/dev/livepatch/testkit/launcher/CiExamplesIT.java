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
 * workflow parser, as published on npm, and gitlab-ci-local, which validates against GitLab's schema and expands the
 * job matrix as GitLab does. A mistyped key fails either.
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
    void theGitlabPipelineValidatesAndExpandsItsMatrixOfKernels() throws IOException {
        ExecResult listed = gitlab(Files.readString(EXAMPLES.resolve("gitlab/.gitlab-ci.yml")));

        assertThat(listed.exitCode()).as(listed.stdout() + listed.stderr()).isZero();
        assertThat(listed.stderr()).contains("json schema validated");
        assertThat(listed.stdout())
                .containsPattern("check: \\[debian\\] +check")
                .containsPattern("check: \\[debian:trixie\\] +check")
                .containsPattern("check: \\[debian:sid\\] +check")
                .containsPattern("merge reports +report +always");
    }

    @Test
    void aMistypedKeyInTheGitlabPipelineFailsItsSchema() throws IOException {
        ExecResult listed = gitlab(Files.readString(EXAMPLES.resolve("gitlab/.gitlab-ci.yml"))
                .replace("  when: always\n  script:", "  whenn: always\n  script:"));

        assertThat(listed.exitCode()).isNotZero();
        assertThat(listed.stdout() + listed.stderr()).contains("whenn");
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
                                copyScript().toString(),
                                workflow.toString()),
                        PARSE);
    }

    /** The script beside the parsers, so that Node.js resolves the parser's package from there. */
    private static Path copyScript() {
        try {
            return Files.copy(
                    SCRIPTS.resolve("check-github-workflow.mjs"),
                    PARSERS.resolve("check-github-workflow.mjs"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AssertionError("Could not place the workflow checker beside the parsers", e);
        }
    }

    /** gitlab-ci-local reads the pipeline of a git repository's top folder. */
    private ExecResult gitlab(String pipeline) throws IOException {
        Path repository = Files.createDirectories(folder.resolve("gitlab-project"));
        Files.writeString(repository.resolve(".gitlab-ci.yml"), pipeline, StandardCharsets.UTF_8);
        ProcessRunner git = ProcessRunner.create().inDirectory(repository);
        for (List<String> command : List.of(
                List.of("git", "init", "-q"),
                List.of("git", "add", "."),
                List.of("git", "-c", "user.email=ci@example.org", "-c", "user.name=ci", "commit", "-q", "-m", "ci"))) {
            ExecResult done = git.exec(command, PARSE);
            assertThat(done.exitCode()).as(done.stderr()).isZero();
        }
        return ProcessRunner.create()
                .inDirectory(repository)
                .exec(
                        List.of(
                                "node",
                                PARSERS.resolve("node_modules/gitlab-ci-local/src/index.js")
                                        .toString(),
                                "--list"),
                        PARSE);
    }
}
