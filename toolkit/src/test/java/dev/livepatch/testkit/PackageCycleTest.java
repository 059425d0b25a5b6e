package dev.livepatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's packages form layers: no package reaches, through any chain of references, back to itself. Read from
 * the sources (imports and fully qualified names), so that a cycle fails the build where it is written.
 */
class PackageCycleTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/livepatch/testkit");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.livepatch\\.testkit\\.(?:([a-z]\\w*)\\.)?[A-Z]");
    /** The deprecated alias of a moved type, kept for a release: the moved type implements it. */
    private static final Set<String> ALIASES = Set.of("build");

    @Test
    void noPackageReachesBackToItself() throws IOException {
        Map<String, Set<String>> references = references();

        assertThat(cycles(references))
                .as("package cycles, each with its members")
                .isEmpty();
    }

    /** The layers as the README's layout table lists them: each package uses only those before it. */
    private static final List<String> LAYERS = List.of(
            "util",
            "(root)",
            "config",
            "lifecycle",
            "progress",
            "host",
            "process",
            "cache",
            "deb",
            "kernel",
            "module",
            "guest",
            "ssh",
            "ssh.kept",
            "image",
            "vm",
            "patch",
            "kbuild",
            "container",
            "builder",
            "livepatch",
            "stall",
            "upstream",
            "source",
            "gate",
            "bench",
            "junit");

    @Test
    void eachPackageUsesOnlyThoseBeforeItInTheReadmesLayers() throws IOException {
        Map<String, Set<String>> references = references();
        List<String> upward = new ArrayList<>();
        for (String from : references.keySet()) {
            assertThat(LAYERS).as("the README's layers name package " + from).contains(from);
            for (String to : references.get(from)) {
                if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
                    upward.add(from + " uses " + to);
                }
            }
        }
        assertThat(upward).isEmpty();
    }

    private static Map<String, Set<String>> references() throws IOException {
        Map<String, Set<String>> references = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = packageOf(file);
                if (ALIASES.contains(from)) {
                    continue;
                }
                Set<String> to = references.computeIfAbsent(from, key -> new TreeSet<>());
                Matcher matcher = REFERENCE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    String target = matcher.group(1) == null ? "(root)" : matcher.group(1);
                    if (!target.equals(from) && !ALIASES.contains(target)) {
                        to.add(target);
                    }
                }
            }
        }
        return references;
    }

    private static String packageOf(Path file) {
        Path folder = SOURCES.relativize(file.getParent());
        return folder.toString().isEmpty() ? "(root)" : folder.toString().replace('/', '.');
    }

    /** Tarjan's strongly connected components of more than one package. */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(
            String node,
            Map<String, Set<String>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            List<Set<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
