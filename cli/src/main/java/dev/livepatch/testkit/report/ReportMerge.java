package dev.livepatch.testkit.report;

import dev.livepatch.testkit.TestkitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The report folders of several jobs (shards of a CI matrix, or runs on different machines) as one set: the runs of
 * each kernel together, written as {@code ./testkit test} writes one run (results.json, results.ktap, report.html
 * and each class's JUnit XML), in a folder of its own per kernel when there are several.
 */
public final class ReportMerge {
    private static final String NO_KERNEL = "";

    private ReportMerge() {}

    /**
     * One kernel's merged run.
     *
     * @param kernel the kernel, when the runs name one
     * @param folder where its reports were written
     * @param suites its test classes, by name
     */
    public record Merged(Optional<String> kernel, Path folder, List<SuiteOutcome> suites) {}

    /**
     * Reads every {@code results*.json} in each folder and in their subfolders (a run on several kernels keeps one
     * per kernel), and writes the merged reports under {@code out}.
     */
    public static List<Merged> merge(List<Path> folders, Path out) {
        Map<String, List<Path>> resultsByKernel = new LinkedHashMap<>();
        Map<String, List<SuiteOutcome>> suitesByKernel = new LinkedHashMap<>();
        for (Path folder : folders) {
            List<Path> found = resultsFiles(folder);
            if (found.isEmpty()) {
                throw new IllegalArgumentException(folder + " holds no results*.json (nor do its subfolders): give"
                        + " the folders that ./testkit test --reports wrote.");
            }
            for (Path file : found) {
                JsonResults results = JsonResults.read(file);
                String kernel = results.kernel().orElse(NO_KERNEL);
                resultsByKernel
                        .computeIfAbsent(kernel, key -> new ArrayList<>())
                        .add(file);
                suitesByKernel.computeIfAbsent(kernel, key -> new ArrayList<>()).addAll(results.suites());
            }
        }
        List<Merged> merged = new ArrayList<>();
        boolean several = suitesByKernel.size() > 1;
        suitesByKernel.forEach((kernel, suites) -> {
            Optional<String> named = kernel.equals(NO_KERNEL) ? Optional.empty() : Optional.of(kernel);
            Path folder = several ? out.resolve(ReportFiles.folderName(kernel.isEmpty() ? "no-kernel" : kernel)) : out;
            List<SuiteOutcome> sorted = suites.stream()
                    .sorted(Comparator.comparing(SuiteOutcome::className))
                    .toList();
            ReportFiles.write(folder.resolve("results.json"), JsonReport.render(sorted, named));
            ReportFiles.write(folder.resolve("results.ktap"), KtapReport.render(sorted, named));
            ReportFiles.write(folder.resolve("report.html"), HtmlReport.render(sorted, named));
            copyJunitXml(resultsByKernel.get(kernel), folder);
            merged.add(new Merged(named, folder, sorted));
        });
        return merged;
    }

    private static List<Path> resultsFiles(Path folder) {
        List<Path> found = new ArrayList<>(resultsIn(folder));
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                found.addAll(resultsIn(child));
            }
        } catch (IOException e) {
            throw new TestkitException("Could not list the report folder " + folder, e);
        }
        return found;
    }

    private static List<Path> resultsIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().matches("results(-\\d+of\\d+)?\\.json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new TestkitException("Could not list the report folder " + folder, e);
        }
    }

    /** The JUnit XML beside the results: files of one name from several runs become one. */
    private static void copyJunitXml(List<Path> resultsFiles, Path folder) {
        Map<String, List<Path>> byName = new TreeMap<>();
        for (Path results : resultsFiles) {
            try (Stream<Path> files = Files.list(results.getParent())) {
                files.filter(file -> file.getFileName().toString().matches("TEST-.*\\.xml"))
                        .filter(file -> !byName.getOrDefault(file.getFileName().toString(), List.of())
                                .contains(file))
                        .forEach(file -> byName.computeIfAbsent(
                                        file.getFileName().toString(), name -> new ArrayList<>())
                                .add(file));
            } catch (IOException e) {
                throw new TestkitException("Could not list " + results.getParent(), e);
            }
        }
        byName.forEach((name, files) -> ReportFiles.write(folder.resolve(name), JunitXmlMerge.merge(files)));
    }
}
