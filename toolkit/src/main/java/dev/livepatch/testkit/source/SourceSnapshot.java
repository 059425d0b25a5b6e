package dev.livepatch.testkit.source;

import dev.livepatch.testkit.kernel.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of the source files a klp-build run patches and stashes, kept before it runs: klp-build puts them back
 * itself, and when it could not (killed, or its reverse patch failed) they are put back from here, a file the diff
 * created removed. A tree is never left holding a diff's changes.
 */
final class SourceSnapshot {
    private final Path root;
    private final Map<String, Optional<byte[]>> contents;

    private SourceSnapshot(Path root, Map<String, Optional<byte[]>> contents) {
        this.root = root;
        this.contents = contents;
    }

    /** The content of each of {@code paths} (relative to {@code root}) now, or that it is absent. */
    static SourceSnapshot of(Path root, Collection<String> paths) {
        Map<String, Optional<byte[]>> contents = new LinkedHashMap<>();
        for (String path : paths) {
            Path file = root.resolve(path);
            try {
                contents.put(
                        path, Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty());
            } catch (IOException e) {
                throw new KernelException("Could not read " + file + " before klp-build: " + e.getMessage(), e);
            }
        }
        return new SourceSnapshot(root, contents);
    }

    /** The paths kept. */
    Collection<String> paths() {
        return contents.keySet();
    }

    /** Puts back each file that differs from what was kept; returns the paths it put back. */
    List<String> restore() throws IOException {
        List<String> restored = new ArrayList<>();
        for (Map.Entry<String, Optional<byte[]>> kept : contents.entrySet()) {
            Path file = root.resolve(kept.getKey());
            Optional<byte[]> now = Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            if (kept.getValue().isEmpty() && now.isPresent()) {
                Files.delete(file);
                restored.add(kept.getKey());
            } else if (kept.getValue().isPresent()
                    && (now.isEmpty()
                            || !Arrays.equals(now.get(), kept.getValue().get()))) {
                Files.write(file, kept.getValue().get());
                restored.add(kept.getKey());
            }
        }
        return restored;
    }
}
