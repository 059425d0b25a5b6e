package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** The numeric user and group a container runs as, so that what it writes belongs to that user. */
@API(status = INTERNAL, since = "0.1")
public record ContainerUser(int uid, int gid) {

    /** The user and group this JVM runs as (the owner of {@code /proc/self}). */
    public static ContainerUser current() {
        Path self = Path.of("/proc/self");
        try {
            return new ContainerUser(
                    (Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid"));
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read this process's user and group from " + self, e);
        }
    }

    /** The form Docker takes, {@code uid:gid}. */
    String spec() {
        return uid + ":" + gid;
    }
}
