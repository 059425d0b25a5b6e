package dev.livepatch.testkit.report;

import dev.livepatch.testkit.TestkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run read back from the {@code results.json} that {@link JsonReport} wrote.
 *
 * @param kernel the kernel it ran on, when it names one
 * @param suites its test classes and their tests
 */
public record JsonResults(Optional<String> kernel, List<SuiteOutcome> suites) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public JsonResults {
        suites = List.copyOf(suites);
    }

    /** Reads {@code file}; one that is not a toolkit's results file is refused, naming it. */
    public static JsonResults read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TestkitException("Could not read the results file " + file, e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!root.path("suites").isArray()) {
            throw new IllegalArgumentException(file + " is not a results file of ./testkit test: it has no suites.");
        }
        List<SuiteOutcome> suites = new ArrayList<>();
        for (JsonNode suite : root.path("suites")) {
            List<String> tags = new ArrayList<>();
            suite.path("tags").forEach(tag -> tags.add(tag.asString()));
            List<TestOutcome> tests = new ArrayList<>();
            suite.path("tests").forEach(test -> tests.add(test(test)));
            suites.add(new SuiteOutcome(
                    suite.path("name").asString(), suite.path("class").asString(), tags, tests));
        }
        JsonNode kernel = root.path("kernel");
        return new JsonResults(kernel.isString() ? Optional.of(kernel.asString()) : Optional.empty(), suites);
    }

    private static TestOutcome test(JsonNode test) {
        List<String> transitions = new ArrayList<>();
        test.path("transitions").forEach(transition -> transitions.add(transition.toString()));
        Map<String, String> artefacts = new LinkedHashMap<>();
        test.path("artefacts")
                .properties()
                .forEach(entry -> artefacts.put(entry.getKey(), entry.getValue().asString()));
        JsonNode message = test.path("message");
        return new TestOutcome(
                test.path("name").asString(),
                TestOutcome.Status.valueOf(test.path("status").asString().toUpperCase(Locale.ROOT)),
                Duration.ofMillis(test.path("durationMs").asLong()),
                message.isString() ? Optional.of(message.asString()) : Optional.empty(),
                transitions,
                artefacts);
    }
}
