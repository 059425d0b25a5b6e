package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One folder per kbuild run under {@code build-logs/}: the staged project while it builds, and afterwards only its
 * {@code kbuild.log} and any module its checks refused. The newest {@value #KEPT} runs are kept.
 */
final class BuildLogs {
    static final int KEPT = 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path root;

    BuildLogs(Path root) {
        this.root = root;
    }

    static BuildLogs in(Cache cache) {
        return new BuildLogs(cache.root().resolve("build-logs"));
    }

    Path root() {
        return root;
    }

    /** A new run's folder; older runs beyond the newest {@value #KEPT} are removed. */
    Run start() {
        try {
            Files.createDirectories(root);
            prune(KEPT - 1);
            return new Run(Files.createTempDirectory(root, LocalDateTime.now().format(STAMP) + "-"));
        } catch (IOException e) {
            throw new ModuleBuildException("Could not create a build folder in " + root, e);
        }
    }

    private void prune(int keep) throws IOException {
        List<Path> runs;
        try (Stream<Path> folders = Files.list(root)) {
            runs = folders.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(Path::getFileName).reversed())
                    .toList();
        }
        for (Path old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
            Folders.deleteRecursively(old);
        }
    }

    /** One kbuild run: where its project is staged and where its log goes. */
    record Run(Path folder) {
        Path project() {
            return folder.resolve("project");
        }

        Path log() {
            return folder.resolve("kbuild.log");
        }

        /** Moves a module out of the staged project into the run's folder, which outlives the project. */
        Path keep(Path module) throws IOException {
            return Files.move(module, folder.resolve(module.getFileName()));
        }

        /** Removes the staged project, keeping the log. */
        void removeProject() {
            try {
                Folders.deleteRecursively(project());
            } catch (IOException e) {
                throw new ModuleBuildException("Could not remove the staged project " + project(), e);
            }
        }
    }
}
