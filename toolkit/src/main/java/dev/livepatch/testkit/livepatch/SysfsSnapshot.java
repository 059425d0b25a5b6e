package dev.livepatch.testkit.livepatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the output of {@code lpt_dump}: the loaded modules (newest first, as {@code /proc/modules} lists them) and
 * each patch folder with its attributes, objects and functions.
 */
final class SysfsSnapshot {
    private final Map<String, Integer> moduleReferences;
    private final List<PatchState> patches;

    private SysfsSnapshot(Map<String, Integer> moduleReferences, List<PatchState> patches) {
        this.moduleReferences = moduleReferences;
        this.patches = patches;
    }

    static SysfsSnapshot parse(ScriptOutput output) {
        Map<String, Integer> modules = new LinkedHashMap<>();
        List<PatchBuilder> builders = new ArrayList<>();
        PatchBuilder patch = null;
        ObjectBuilder object = null;
        for (ScriptOutput.Tagged line : output.tagged()) {
            String[] words = line.value().split(" ", 2);
            switch (line.tag()) {
                case MODULE -> modules.put(words[0], words.length > 1 ? parseInt(words[1]) : -1);
                case PATCH -> {
                    patch = new PatchBuilder(words[0]);
                    builders.add(patch);
                    object = null;
                }
                case OBJECT -> {
                    object = new ObjectBuilder(words[0]);
                    patch.objects.add(object);
                }
                case FUNCTION -> object.functions.add(PatchedFunction.parse(words[0]));
                case ATTR -> {
                    if (object != null) {
                        object.attributes.put(words[0], words[1].strip());
                    } else if (patch != null) {
                        patch.attributes.put(words[0], words[1].strip());
                    }
                }
                default -> {}
            }
        }
        List<PatchState> states = builders.stream()
                .filter(PatchBuilder::complete)
                .map(PatchBuilder::build)
                .toList();
        return new SysfsSnapshot(modules, stackOrder(states, List.copyOf(modules.keySet())));
    }

    /** By {@code stack_order} where the kernel has it, otherwise by module load order (oldest first). */
    private static List<PatchState> stackOrder(List<PatchState> patches, List<String> newestFirst) {
        boolean kernelOrder = !patches.isEmpty()
                && patches.stream().allMatch(patch -> patch.stackOrder().isPresent());
        Comparator<PatchState> order = kernelOrder
                ? Comparator.comparing(patch -> patch.stackOrder().orElseThrow())
                : Comparator.comparing((PatchState patch) -> {
                            int index = newestFirst.indexOf(patch.name());
                            return index < 0 ? Integer.MIN_VALUE : -index;
                        })
                        .thenComparing(PatchState::name);
        return patches.stream().sorted(order).toList();
    }

    PatchStack stack() {
        return new PatchStack(patches);
    }

    Optional<Integer> references(String module) {
        return Optional.ofNullable(moduleReferences.get(module));
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<Boolean> flag(Map<String, String> attributes, String name) {
        return Optional.ofNullable(attributes.get(name)).map("1"::equals);
    }

    private static final class PatchBuilder {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final List<ObjectBuilder> objects = new ArrayList<>();

        PatchBuilder(String name) {
            this.name = name;
        }

        /** A patch freed while it was being read lacks its attributes; it is gone, not half there. */
        boolean complete() {
            return attributes.containsKey("enabled") && attributes.containsKey("transition");
        }

        PatchState build() {
            return new PatchState(
                    name,
                    flag(attributes, "enabled").orElseThrow(),
                    flag(attributes, "transition").orElseThrow(),
                    flag(attributes, "replace"),
                    Optional.ofNullable(attributes.get("stack_order")).map(SysfsSnapshot::parseInt),
                    objects.stream().map(ObjectBuilder::build).toList());
        }
    }

    private static final class ObjectBuilder {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final List<PatchedFunction> functions = new ArrayList<>();

        ObjectBuilder(String name) {
            this.name = name;
        }

        PatchedObject build() {
            return new PatchedObject(name, flag(attributes, "patched"), functions);
        }
    }
}
