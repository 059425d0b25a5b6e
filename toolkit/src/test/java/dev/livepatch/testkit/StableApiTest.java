package dev.livepatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * The STABLE API (and the deprecated aliases kept for a release) against its recorded form, {@value #RECORD}: what
 * projects compile against. A signature that went away fails until it is given a deprecated alias and a line in
 * CHANGELOG.md (then the record is updated); a new one fails until it is recorded. Run with
 * {@code -Dlivepatch.api.record=true} to write the record from the code.
 */
class StableApiTest {
    static final String RECORD = "src/test/resources/dev/livepatch/testkit/stable-api.txt";

    @Test
    void theStableApiIsWhatTheRecordSays() throws Exception {
        Set<String> current = signatures();
        Path record = Path.of(RECORD);
        if (Boolean.getBoolean("livepatch.api.record")) {
            Files.writeString(record, String.join("\n", current) + "\n", StandardCharsets.UTF_8);
        }
        Set<String> recorded = new TreeSet<>(Files.readAllLines(record, StandardCharsets.UTF_8));
        recorded.remove("");

        assertThat(difference(recorded, current))
                .as(
                        "STABLE signatures that were removed or changed: keep each as a deprecated alias for a release,"
                                + " say so in CHANGELOG.md, then update %s (-Dlivepatch.api.record=true)",
                        RECORD)
                .isEmpty();
        assertThat(difference(current, recorded))
                .as("new STABLE signatures: record them in %s (-Dlivepatch.api.record=true)", RECORD)
                .isEmpty();
    }

    private static List<String> difference(Set<String> these, Set<String> those) {
        return these.stream().filter(line -> !those.contains(line)).toList();
    }

    private static Set<String> signatures() throws Exception {
        Set<String> lines = new TreeSet<>();
        for (Class<?> type : ApiMarkingTest.publicTypes()) {
            API api = type.getAnnotation(API.class);
            if (api != null && (api.status() == API.Status.STABLE || api.status() == API.Status.DEPRECATED)) {
                describe(type, lines);
            }
        }
        return lines;
    }

    private static void describe(Class<?> type, Set<String> lines) {
        String name = type.getName();
        lines.add(name + " " + kind(type) + supertypes(type));
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers())) {
                lines.add(name + " new(" + parameters(constructor) + ")");
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic()) {
                lines.add(name + (Modifier.isStatic(method.getModifiers()) ? " static " : " ") + method.getName() + "("
                        + parameters(method) + ") "
                        + method.getGenericReturnType().getTypeName());
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic()) {
                lines.add(name + " field " + field.getName() + " "
                        + field.getGenericType().getTypeName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (visible(nested.getModifiers())) {
                describe(nested, lines);
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "annotation";
        }
        if (type.isRecord()) {
            return "record";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isInterface() ? "interface" : "class";
    }

    private static String supertypes(Class<?> type) {
        List<Type> supertypes = new ArrayList<>();
        if (type.getGenericSuperclass() != null
                && !List.of(Object.class, Record.class, Enum.class).contains(type.getSuperclass())) {
            supertypes.add(type.getGenericSuperclass());
        }
        supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
        return supertypes.isEmpty()
                ? ""
                : " : " + supertypes.stream().map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String parameters(Executable executable) {
        return Arrays.stream(executable.getGenericParameterTypes())
                .map(Type::getTypeName)
                .collect(Collectors.joining(", "));
    }
}
