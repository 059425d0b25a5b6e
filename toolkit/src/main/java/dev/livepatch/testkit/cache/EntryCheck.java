package dev.livepatch.testkit.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks an entry against its manifest. Sizes and links are checked every time (one stat call per file); the content
 * hashes are read again only when a file's size, modification time or inode differ from when they were last verified, so an
 * unchanged 100 MB snapshot costs no reading but an overwritten one is found.
 */
final class EntryCheck {
    /** The verdict on an entry: sound, damaged (with what is wrong), or made before entries had manifests. */
    enum Verdict {
        SOUND,
        DAMAGED,
        UNLISTED
    }

    record Result(Verdict verdict, String problem) {
        static final Result SOUND = new Result(Verdict.SOUND, "");
        static final Result UNLISTED = new Result(Verdict.UNLISTED, "it has no manifest");
    }

    private final Path manifestFile;
    private final Path stampFile;

    EntryCheck(Path manifestFile, Path stampFile) {
        this.manifestFile = manifestFile;
        this.stampFile = stampFile;
    }

    Result check(Path entry) {
        try {
            Optional<Manifest> manifest = Manifest.read(manifestFile);
            if (manifest.isEmpty()) {
                return Result.UNLISTED;
            }
            Manifest.Inspection inspection = manifest.get().inspect(entry);
            if (inspection.problem().isPresent()) {
                return new Result(Verdict.DAMAGED, inspection.problem().get());
            }
            String fingerprint = inspection.fingerprint();
            if (fingerprint.equals(stamp())) {
                return Result.SOUND;
            }
            Optional<String> problem = manifest.get().contentProblem(entry);
            if (problem.isPresent()) {
                return new Result(Verdict.DAMAGED, problem.get());
            }
            writeStamp(fingerprint);
            return Result.SOUND;
        } catch (IOException | RuntimeException e) {
            return new Result(Verdict.DAMAGED, "its manifest " + manifestFile + " is unreadable: " + e.getMessage());
        }
    }

    /** Lists a complete entry's content (before it is renamed into place, or when adopting an older entry). */
    void record(Path folder) throws IOException {
        Manifest manifest = Manifest.of(folder);
        manifest.write(manifestFile);
        writeStamp(manifest.inspect(folder).fingerprint());
    }

    void forget() throws IOException {
        Files.deleteIfExists(stampFile);
        Files.deleteIfExists(manifestFile);
    }

    private String stamp() throws IOException {
        try {
            return Files.readString(stampFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private void writeStamp(String fingerprint) throws IOException {
        // Written in place: a torn stamp only means the hashes are read once more.
        Files.createDirectories(stampFile.getParent());
        Files.writeString(stampFile, fingerprint + "\n", StandardCharsets.UTF_8);
    }
}
