package dev.livepatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/** The library marks what a project may use (STABLE) and what it must not (INTERNAL), as JUnit does. */
class ApiMarkingTest {

    @Test
    void everyPublicTypeSaysWhetherItIsApi() throws Exception {
        List<String> unmarked = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            if (!type.isAnnotationPresent(API.class)) {
                unmarked.add(type.getName());
            }
        }
        assertThat(unmarked)
                .as("public types without @API(status = STABLE or INTERNAL)")
                .isEmpty();
    }

    @Test
    void theStableApiNeitherTakesNorGivesInternalTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            if (!stable(type)) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers()) || method.isSynthetic()) {
                    continue;
                }
                List<Class<?>> used = new ArrayList<>(List.of(method.getParameterTypes()));
                used.add(method.getReturnType());
                for (Class<?> other : used) {
                    Class<?> element = other.isArray() ? other.getComponentType() : other;
                    if (element.getName().startsWith("dev.livepatch.testkit.") && !stableOrDeprecated(element)) {
                        leaks.add(type.getSimpleName() + "." + method.getName() + " uses " + element.getName());
                    }
                }
            }
        }
        assertThat(leaks).as("stable methods that use internal types").isEmpty();
    }

    private static boolean stable(Class<?> type) {
        return status(type) == API.Status.STABLE;
    }

    /** A deprecated alias of a moved STABLE type is still the project's to use, for a release. */
    private static boolean stableOrDeprecated(Class<?> type) {
        return stable(type) || status(type) == API.Status.DEPRECATED;
    }

    private static API.Status status(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        API api = top.getAnnotation(API.class);
        return api == null ? null : api.status();
    }

    static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(TestkitException.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !f.getFileName().toString().contains("$"))
                    .toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ApiMarkingTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }
}
