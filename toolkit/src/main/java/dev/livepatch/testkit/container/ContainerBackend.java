package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.model.Image;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.testcontainers.DockerClientFactory;

/** What the container build backend has on this host: whether an engine answers, and the toolchain images. */
@API(status = INTERNAL, since = "0.1")
public final class ContainerBackend {
    private ContainerBackend() {}

    /** Why the Docker engine cannot be used, or empty when it answers. */
    public static Optional<String> engineProblem() {
        return DockerEngine.standard().problem();
    }

    /** The toolchain images present in the engine, by tag; call only when the engine answers. */
    public static List<String> toolchainImages() {
        TestcontainersSetup.apply();
        return DockerClientFactory.instance()
                .client()
                .listImagesCmd()
                .withLabelFilter(ToolchainImage.RECIPE_LABEL)
                .exec()
                .stream()
                .map(Image::getRepoTags)
                .filter(tags -> tags != null)
                .flatMap(Arrays::stream)
                .sorted()
                .toList();
    }

    /** Whether a missing toolchain image could be built here: the bootstrap tool is installed. */
    public static Optional<String> missingBootstrapTool() {
        return DebianRootfs.onThisHost(Duration.ofMinutes(1)).missingTool();
    }
}
