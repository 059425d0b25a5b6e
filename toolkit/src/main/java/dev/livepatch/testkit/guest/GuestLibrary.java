package dev.livepatch.testkit.guest;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import org.apiguardian.api.API;

/**
 * A shell library the toolkit runs inside guests. Guest images carry it under {@link #IMAGE_FOLDER}; a guest
 * without it gets a copy under {@link #COPY_FOLDER}. Its file name holds a hash of its content, so a guest never
 * runs another version than the host expects.
 */
@API(status = INTERNAL, since = "0.1")
public final class GuestLibrary {
    public static final String IMAGE_FOLDER = "/usr/lib/livepatch-testkit";
    public static final String COPY_FOLDER = "/tmp/livepatch-testkit";

    /** The livepatch operations: load, write, wait, dump, blockers (see {@code livepatch.sh}). */
    public static final GuestLibrary LIVEPATCH = load("livepatch");

    private final String fileName;
    private final byte[] content;

    private GuestLibrary(String fileName, byte[] content) {
        this.fileName = fileName;
        this.content = content;
    }

    private static GuestLibrary load(String name) {
        try (InputStream in = GuestLibrary.class.getResourceAsStream(name + ".sh")) {
            if (in == null) {
                throw new IllegalStateException(name + ".sh is missing from the toolkit's resources");
            }
            byte[] content = in.readAllBytes();
            return new GuestLibrary(name + "-" + Sha256.of(content).prefix(12) + ".sh", content);
        } catch (IOException e) {
            throw new TestkitException(
                    "Could not read the guest library " + name + ".sh from the toolkit's resources", e);
        }
    }

    /** The file name, with the content hash: {@code livepatch-0123456789ab.sh}. */
    public String fileName() {
        return fileName;
    }

    public String imagePath() {
        return IMAGE_FOLDER + "/" + fileName;
    }

    public String copyPath() {
        return COPY_FOLDER + "/" + fileName;
    }

    public byte[] content() {
        return content.clone();
    }
}
