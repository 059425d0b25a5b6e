package dev.livepatch.testkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
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
                .isInstanceOf(CacheException.class)
                .hasMessage("Could not write cache entry " + temp.resolve("debs/busybox"))
                .hasRootCauseMessage("disk full");
        assertThat(children(temp.resolve("debs"))).isEmpty();
    }

    @Test
    void concurrentRequestsForOneEntryRunTheWriterOnceAndTheOthersWaitForIt() throws Exception {
        Cache cache = new Cache(temp);
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> results = Stream.of("writer-a", "writer-b", "writer-c")
                    .map(writer -> pool.submit(() -> cache.computeIfAbsent("images", "selftest", folder -> {
                        writes.incrementAndGet();
                        Files.writeString(folder.resolve(writer), writer);
                        writing.countDown();
                        await(release);
                    })))
                    .toList();
            assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
            release.countDown();

            Path entry = temp.resolve("images/selftest");
            for (Future<Path> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(entry);
            }
            assertThat(writes).hasValue(1);
            assertThat(children(entry)).hasSize(1).first().isIn("writer-a", "writer-b", "writer-c");
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
    void removeLeftoversKeepsAnUnfinishedFolderWhoseWriterStillHoldsTheLock() throws Exception {
        Cache cache = new Cache(temp);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Future<?> holder = writer.submit(() -> {
                try (EntryLock lock = cache.lock("kernels", "6.1.0", "kernel 6.1.0")) {
                    locked.countDown();
                    await(release);
                }
                return null;
            });
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            Path unfinished = Files.createDirectories(temp.resolve("kernels/.6.1.0.partial-42/usr"));

            cache.removeLeftovers("kernels");
            assertThat(unfinished).exists();

            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            cache.removeLeftovers("kernels");
            assertThat(children(temp.resolve("kernels"))).isEmpty();
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void writingAnEntryRemovesWhatAnInterruptedWriterOfTheSameEntryLeft() throws IOException {
        Cache cache = new Cache(temp);
        Files.createDirectories(temp.resolve("modules/lpt_a-1234.partial-99"));
        Files.createDirectories(temp.resolve("modules/.lpt_a-1234.partial-7/half"));

        cache.computeIfAbsent("modules", "lpt_a-1234", folder -> Files.writeString(folder.resolve("a.ko"), "elf"));

        assertThat(children(temp.resolve("modules"))).containsExactly("lpt_a-1234", "lpt_a-1234.partial-99");
    }

    @Test
    void aTruncatedFileIsFoundRemovedAndTheEntryMadeAgain() throws IOException {
        List<String> notes = new ArrayList<>();
        Cache cache = new Cache(temp).reportingTo(Progress.notesTo(notes::add));
        Path entry = cache.computeIfAbsent(
                "snapshots",
                "minimal",
                "boot snapshot",
                folder -> Files.write(folder.resolve("state.qcow2"), bytes(4096)));
        try (FileChannel file = FileChannel.open(entry.resolve("state.qcow2"), StandardOpenOption.WRITE)) {
            file.truncate(100);
        }

        assertThat(cache.find("snapshots", "minimal")).isEmpty();
        assertThat(notes)
                .containsExactly("The cached snapshots entry minimal (" + entry
                        + ") is damaged: state.qcow2 has 100 bytes instead" + " of 4096; it is removed and made again");
        assertThat(children(temp.resolve("snapshots"))).isEmpty();

        AtomicInteger writes = new AtomicInteger();
        cache.computeIfAbsent("snapshots", "minimal", folder -> {
            writes.incrementAndGet();
            Files.write(folder.resolve("state.qcow2"), bytes(4096));
        });
        assertThat(writes).hasValue(1);
        assertThat(cache.find("snapshots", "minimal")).contains(entry);
    }

    @Test
    void partlyZeroedContentOfTheSameSizeIsFound() throws IOException {
        Cache cache = new Cache(temp);
        Path entry = cache.computeIfAbsent(
                "snapshots", "minimal", folder -> Files.write(folder.resolve("state.qcow2"), bytes(1 << 20)));
        assertThat(cache.find("snapshots", "minimal")).contains(entry);
        try (FileChannel file = FileChannel.open(entry.resolve("state.qcow2"), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(4096), 8192);
        }

        List<String> notes = new ArrayList<>();
        assertThat(cache.reportingTo(Progress.notesTo(notes::add)).find("snapshots", "minimal"))
                .isEmpty();
        assertThat(notes).singleElement().asString().contains("state.qcow2 has other content than was written");
    }

    @Test
    void aMissingHeaderIsFoundAndALinkThatChangedToo() throws IOException {
        Cache cache = new Cache(temp);
        Path entry = cache.computeIfAbsent("kernels", "6.1.0", folder -> {
            Path generated = Files.createDirectories(folder.resolve("usr/src/headers/include/generated"));
            Files.writeString(generated.resolve("autoconf.h"), "#define CONFIG_LIVEPATCH 1\n");
            Files.createSymbolicLink(folder.resolve("usr/src/headers/scripts"), Path.of("../common/scripts"));
        });
        Files.delete(entry.resolve("usr/src/headers/include/generated/autoconf.h"));

        List<String> notes = new ArrayList<>();
        assertThat(cache.reportingTo(Progress.notesTo(notes::add)).find("kernels", "6.1.0"))
                .isEmpty();
        assertThat(notes)
                .singleElement()
                .asString()
                .contains("usr/src/headers/include/generated/autoconf.h is missing");

        Path again = cache.computeIfAbsent("kernels", "6.1.0", folder -> {
            Files.createDirectories(folder.resolve("usr/src/headers"));
            Files.createSymbolicLink(folder.resolve("usr/src/headers/scripts"), Path.of("../common/scripts"));
        });
        Files.delete(again.resolve("usr/src/headers/scripts"));
        Files.createSymbolicLink(again.resolve("usr/src/headers/scripts"), Path.of("/elsewhere"));
        assertThat(cache.find("kernels", "6.1.0")).isEmpty();
    }

    @Test
    void anEntryMadeBeforeManifestsIsAdoptedAndCheckedFromThenOn() throws IOException {
        Cache cache = new Cache(temp);
        Path entry = Files.createDirectories(temp.resolve("modules/lpt_a-1234"));
        Files.writeString(entry.resolve("lpt_a.ko"), "elf module");

        assertThat(cache.find("modules", "lpt_a-1234")).contains(entry);
        Files.writeString(entry.resolve("lpt_a.ko"), "elf");
        assertThat(cache.find("modules", "lpt_a-1234")).isEmpty();
    }

    @Test
    void aSoundEntryIsFoundAgainAndAgain() throws IOException {
        Cache cache = new Cache(temp);
        Path entry = cache.computeIfAbsent("images", "minimal", folder -> {
            Files.write(folder.resolve("initramfs.cpio"), bytes(10_000));
            Files.writeString(folder.resolve("image.properties"), "name=minimal\n");
        });

        for (int i = 0; i < 3; i++) {
            assertThat(cache.find("images", "minimal")).contains(entry);
        }
        assertThat(children(temp.resolve("images"))).containsExactly("minimal");
    }

    @Test
    void cleanEmptiesTheWholeCacheEvenReadOnlyFiles() throws IOException {
        Cache cache = new Cache(temp.resolve("cache"));
        Path entry = cache.computeIfAbsent("debs", "x", folder -> Files.writeString(folder.resolve("a.deb"), "x"));
        entry.resolve("a.deb").toFile().setReadOnly();

        cache.clean();

        assertThat(cache.root()).doesNotExist();
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the writer");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static byte[] bytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static List<String> children(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
