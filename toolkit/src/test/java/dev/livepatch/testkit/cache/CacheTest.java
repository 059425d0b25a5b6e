package dev.livepatch.testkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
    @TempDir
    Path temp;

    @Test
    void writesAnEntryOnceAndReusesItWithoutCallingTheWriter() throws IOException {
        Cache cache = new Cache(temp);
        AtomicInteger writes = new AtomicInteger();

        Path first = cache.computeIfAbsent("images", "minimal-abc", folder -> {
            writes.incrementAndGet();
            Files.writeString(folder.resolve("initrd.cpio"), "archive");
        });
        Path second = cache.computeIfAbsent("images", "minimal-abc", folder -> {
            throw new AssertionError("the writer of a complete entry must not run");
        });

        assertThat(writes).hasValue(1);
        assertThat(second).isEqualTo(first).isEqualTo(temp.resolve("images/minimal-abc"));
        assertThat(first.resolve("initrd.cpio")).hasContent("archive");
        assertThat(cache.find("images", "minimal-abc")).contains(first);
        assertThat(cache.find("images", "other")).isEmpty();
        assertThat(children(temp.resolve("images"))).containsExactly("minimal-abc");
    }

    @Test
    void aFailingWriterLeavesNeitherEntryNorTemporaryFolder() throws IOException {
        Cache cache = new Cache(temp);

        assertThatThrownBy(() -> cache.computeIfAbsent("kernels", "6.1.0", folder -> {
                    Files.writeString(folder.resolve("vmlinuz"), "half");
                    throw new IllegalStateException("download interrupted");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("download interrupted");

        assertThat(cache.find("kernels", "6.1.0")).isEmpty();
        assertThat(children(temp.resolve("kernels"))).isEmpty();
    }

    @Test
    void anIoFailureOfTheWriterNamesTheEntry() throws IOException {
        Cache cache = new Cache(temp);

        assertThatThrownBy(() -> cache.computeIfAbsent("debs", "busybox", folder -> {
                    throw new IOException("disk full");
                }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("Could not write cache entry " + temp.resolve("debs/busybox"))
                .hasRootCauseMessage("disk full");
        assertThat(children(temp.resolve("debs"))).isEmpty();
    }

    @Test
    void concurrentWritersOfOneEntryLeaveExactlyOneCompleteEntry() throws Exception {
        Cache cache = new Cache(temp);
        CyclicBarrier bothWritten = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> results = Stream.of("writer-a", "writer-b")
                    .map(writer -> pool.submit(() -> cache.computeIfAbsent("images", "selftest", folder -> {
                        Files.writeString(folder.resolve(writer), writer);
                        await(bothWritten);
                    })))
                    .toList();

            Path entry = temp.resolve("images/selftest");
            for (Future<Path> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(entry);
            }
            assertThat(children(entry)).hasSize(1).first().isIn("writer-a", "writer-b");
            assertThat(children(temp.resolve("images"))).containsExactly("selftest");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeLeftoversDeletesOnlyTemporaryFolders() throws IOException {
        Cache cache = new Cache(temp);
        cache.computeIfAbsent("images", "kept", folder -> Files.writeString(folder.resolve("file"), "x"));
        Files.createDirectories(temp.resolve("images/.stale.partial-123/sub"));

        cache.removeLeftovers("images");
        cache.removeLeftovers("absent-area");

        assertThat(children(temp.resolve("images"))).containsExactly("kept");
    }

    @Test
    void cleanEmptiesTheWholeCacheEvenReadOnlyFiles() throws IOException {
        Cache cache = new Cache(temp.resolve("cache"));
        Path entry = cache.computeIfAbsent("debs", "x", folder -> Files.writeString(folder.resolve("a.deb"), "x"));
        entry.resolve("a.deb").toFile().setReadOnly();

        cache.clean();

        assertThat(cache.root()).doesNotExist();
    }

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the other writer never arrived", e);
        }
    }

    private static List<String> children(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
