package dev.livepatch.testkit.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The run as JSON for dashboards and scripts: totals, then each class (with its suite tags) with each test's status,
 * time, message, transitions and artefacts; {@link JsonResults} reads it back, so that shards' runs merge.
 */
public final class JsonReport {
    private JsonReport() {}

    /** The report's text; {@code kernel} names the kernel every test ran on, when one did. */
    public static String render(List<SuiteOutcome> suites, Optional<String> kernel) {
        StringBuilder json = new StringBuilder("{\n");
        kernel.ifPresent(
                name -> json.append("  \"kernel\": ").append(string(name)).append(",\n"));
        json.append("  \"tests\": ")
                .append(suites.stream().mapToLong(suite -> suite.tests().size()).sum())
                .append(",\n");
        for (TestOutcome.Status status : TestOutcome.Status.values()) {
            json.append("  \"")
                    .append(status.name().toLowerCase(Locale.ROOT))
                    .append("\": ")
                    .append(suites.stream()
                            .mapToLong(suite -> suite.count(status))
                            .sum())
                    .append(",\n");
        }
        json.append("  \"suites\": [");
        json.append(suites.stream().map(JsonReport::suite).collect(Collectors.joining(",")));
        json.append(suites.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return json.toString();
    }

    private static String suite(SuiteOutcome suite) {
        return "\n    {\"name\": " + string(suite.name()) + ", \"class\": " + string(suite.className())
                + ", \"tags\": ["
                + suite.tags().stream().map(JsonReport::string).collect(Collectors.joining(", "))
                + "], \"tests\": ["
                + suite.tests().stream().map(JsonReport::test).collect(Collectors.joining(","))
                + "\n    ]}";
    }

    private static String test(TestOutcome test) {
        return "\n      {\"name\": " + string(test.name()) + ", \"status\": "
                + string(test.status().name().toLowerCase(Locale.ROOT)) + ", \"durationMs\": "
                + test.duration().toMillis() + ", \"message\": "
                + test.message().map(JsonReport::string).orElse("null")
                + (test.transitions().isEmpty()
                        ? ""
                        : ", \"transitions\": [\n        " + String.join(",\n        ", test.transitions())
                                + "\n      ]")
                + (test.artefacts().isEmpty()
                        ? ""
                        : ", \"artefacts\": {"
                                + test.artefacts().entrySet().stream()
                                        .map(entry -> string(entry.getKey()) + ": " + string(entry.getValue()))
                                        .collect(Collectors.joining(", "))
                                + "}")
                + "}";
    }

    static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
