package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path dir;

    @Test
    void aFolderWhoseProcessStillRunsIsKeptAndOneWhoseProcessIsGoneIsRemoved() throws Exception {
        Cache cache = new Cache(dir);
        RunFolder live = RunFolder.create(cache, "minimal");
        RunFolder dead = RunFolder.create(cache, "minimal");
        Process owner = new ProcessBuilder("sh", "-c", "sleep 30", live.path().toString()).start();
        Process finished = new ProcessBuilder("true").start();
        try {
            finished.waitFor();
            live.claim(owner.pid());
            dead.claim(finished.pid());

            RunFolder.removeStale(dir.resolve(RunFolder.AREA));

            assertThat(live.path()).isDirectory();
            assertThat(dead.path()).doesNotExist();
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aReusedPidThatIsNotOurQemuDoesNotKeepAFolder() throws IOException {
        RunFolder folder = RunFolder.create(new Cache(dir), "minimal");
        folder.claim(ProcessHandle.current().pid());
        assertThat(RunFolder.isStale(folder.path())).isTrue();
    }

    @Test
    void anUnclaimedFolderIsLeftToItsStarterUnlessItIsOld() throws IOException {
        RunFolder starting = RunFolder.create(new Cache(dir), "minimal");
        assertThat(RunFolder.isStale(starting.path())).isFalse();
        Files.setLastModifiedTime(starting.path(), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertThat(RunFolder.isStale(starting.path())).isTrue();
    }

    @Test
    void aFolderIsUnderTheCachesRunAreaAndDeletedWithItsContent() throws IOException {
        RunFolder folder = RunFolder.create(new Cache(dir), "minimal");
        assertThat(folder.path().getParent()).isEqualTo(dir.resolve("run"));
        assertThat(folder.id()).startsWith("minimal-");
        Files.writeString(folder.resolve("serial.log"), "boot");
        folder.delete();
        assertThat(folder.path()).doesNotExist();
    }

    @Test
    void aCachePathTooLongForAUnixSocketUsesTheTempFolder() throws IOException {
        Path deep = dir.resolve("x".repeat(60)).resolve("y".repeat(60));
        RunFolder folder = RunFolder.create(new Cache(deep), "minimal");
        try {
            assertThat(folder.path().startsWith(deep)).isFalse();
            assertThat(folder.resolve("qmp.sock").toString().length()).isLessThanOrEqualTo(100);
        } finally {
            folder.delete();
        }
    }
}
