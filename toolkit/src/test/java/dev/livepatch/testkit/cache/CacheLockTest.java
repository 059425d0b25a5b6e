package dev.livepatch.testkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.progress.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLockTest {
    @TempDir
    Path temp;

    @Test
    void aLockHeldByAnotherProcessIsWaitedForNamedAndFreedWhenThatProcessIsKilled() throws Exception {
        Path file = temp.resolve("locks/kernel.lock");
        Process holder = holdInAnotherProcess(file);
        try {
            List<String> notes = new ArrayList<>();

            assertThatThrownBy(() -> CacheLock.acquire(
                            file, "kernel 6.1.0-56-amd64", Progress.notesTo(notes::add), Duration.ofMillis(300)))
                    .isInstanceOf(CacheException.class)
                    .hasMessageStartingWith("Timed out after 300 ms waiting for another run to finish kernel"
                            + " 6.1.0-56-amd64 (lock: " + file + "; held by pid " + holder.pid() + " since ")
                    .hasMessageContaining("-Dlivepatch.cache.lock.timeout=60m");
            assertThat(notes)
                    .singleElement()
                    .asString()
                    .startsWith("Waiting for another livepatch-testkit process to finish kernel 6.1.0-56-amd64 (lock: "
                            + file + ", held by pid " + holder.pid());

            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (CacheLock lock =
                    CacheLock.acquire(file, "kernel", Progress.notesTo(notes::add), Duration.ofSeconds(30))) {
                assertThat(CacheLock.tryAcquire(file)).isEmpty();
            }
            assertThat(CacheLock.tryAcquire(file)).hasValueSatisfying(CacheLock::close);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aThreadWaitsForAnotherThreadOfTheSameProcess() throws Exception {
        Path file = temp.resolve("entry.lock");
        List<String> notes = new ArrayList<>();
        CacheLock first = CacheLock.acquire(file, "image minimal", Progress.notesTo(notes::add), Duration.ofSeconds(5));
        CountDownLatch waiting = new CountDownLatch(1);
        // The first holder lets go only once the second has said it waits: no race with a sleep.
        Thread releaser = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        releaser.start();

        try (CacheLock second = CacheLock.acquire(
                file,
                "image minimal",
                Progress.notesTo(message -> {
                    notes.add(message);
                    waiting.countDown();
                }),
                Duration.ofSeconds(30))) {
            assertThat(notes)
                    .containsExactly("Waiting for another thread to finish image minimal (lock: " + file + ")");
        }
        releaser.join();
    }

    private static Process holdInAnotherProcess(Path file) throws IOException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return process;
    }
}
