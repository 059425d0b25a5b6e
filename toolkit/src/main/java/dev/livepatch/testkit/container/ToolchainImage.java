package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image kbuild runs in for a kernel's compiler, built locally from Debian's archive (no registry
 * is needed): a root filesystem bootstrapped by mmdebstrap and imported as the base image, and the
 * toolchain image derived from it. Both are tagged by the recipe's hash; an existing image is reused,
 * never rebuilt.
 */
@API(status = INTERNAL, since = "0.1")
public final class ToolchainImage {
    static final String RECIPE_LABEL = "dev.livepatch.testkit.toolchain";
    static final String AREA = "toolchain-images";

    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(5);

    private final Progress progress;
    private final DebianRootfs rootfs;
    private final DockerEngine engine;
    private final ProcessRunner processes;
    private final Cache cache;

    public ToolchainImage(
            Progress progress, DebianRootfs rootfs, DockerEngine engine, ProcessRunner processes, Cache cache) {
        this.progress = progress;
        this.cache = cache.reportingTo(progress);
        this.rootfs = rootfs;
        this.engine = engine;
        this.processes = processes;
    }

    public static ToolchainImage standard(Progress progress) {
        return new ToolchainImage(
                progress,
                DebianRootfs.onThisHost(Settings.BUILD_TIMEOUT.get()),
                DockerEngine.standard(),
                ProcessRunner.create(),
                Cache.standard());
    }

    /**
     * Why no toolchain image for the kernel can be used here, neither an existing one nor one built now; empty when
     * one can.
     */
    public Optional<String> problem(Kernel kernel) {
        KernelCompiler compiler;
        try {
            compiler = KernelCompiler.parse(kernel.compiler());
        } catch (ModuleBuildException e) {
            return engine.problem().or(() -> Optional.of(e.getMessage()));
        }
        return problem(compiler, kernel.arch());
    }

    /** Like {@link #problem(Kernel)}, for a gcc major version and the architecture it builds for. */
    public Optional<String> problem(KernelCompiler compiler, Arch target) {
        Optional<String> engineProblem = engine.problem();
        if (engineProblem.isPresent()) {
            return engineProblem;
        }
        ToolchainRecipe recipe;
        try {
            recipe = ToolchainRecipe.forCompiler(compiler, target);
        } catch (ModuleBuildException e) {
            return Optional.of(e.getMessage());
        }
        TestcontainersSetup.apply();
        if (exists(DockerClientFactory.instance().client(), recipe.image())) {
            return Optional.empty();
        }
        return rootfs.missingTool()
                .map(tool -> "the toolchain image " + recipe.image() + " does not exist and building it needs " + tool
                        + ", which is not installed (sudo apt-get install " + tool + ")");
    }

    /** The toolchain image for the kernel's compiler, built first when it does not exist. */
    String imageFor(Kernel kernel) {
        return imageFor(KernelCompiler.parse(kernel.compiler()), kernel.arch());
    }

    /** The toolchain image for a gcc major version building for {@code target}, built first when it does not exist. */
    String imageFor(KernelCompiler compiler, Arch target) {
        ToolchainRecipe recipe = ToolchainRecipe.forCompiler(compiler, target);
        engine.requireAnswering();
        TestcontainersSetup.apply();
        DockerClient docker = DockerClientFactory.instance().client();
        if (exists(docker, recipe.image())) {
            return recipe.image();
        }
        // The engine's images are outside the cache, but runs sharing a cache share the engine: the lock keeps
        // them from bootstrapping the same image at once.
        try (EntryLock lock = cache.lock(AREA, key(recipe), "the toolchain image " + recipe.image())) {
            if (!exists(docker, recipe.image())) {
                build(docker, recipe);
            }
        }
        return recipe.image();
    }

    private void build(DockerClient docker, ToolchainRecipe recipe) {
        progress.run("Building toolchain image " + recipe.image() + " (" + recipe.describe() + ")", step -> {
            if (!exists(docker, recipe.baseImage())) {
                importBase(recipe, step);
            }
            step.update("deriving the toolchain image");
            derive(recipe);
        });
    }

    private static void derive(ToolchainRecipe recipe) {
        try {
            new ImageFromDockerfile(recipe.image(), false)
                    .withDockerfileFromBuilder(dockerfile -> dockerfile
                            .from(recipe.baseImage())
                            .env("LANG", "C.UTF-8")
                            .label(RECIPE_LABEL, recipe.describe() + ": " + String.join(" ", recipe.packages()))
                            .build())
                    .get();
        } catch (RuntimeException e) {
            throw new ModuleBuildException(
                    "Could not derive the toolchain image " + recipe.image() + " from " + recipe.baseImage() + ": " + e,
                    e);
        }
    }

    private void importBase(ToolchainRecipe recipe, Progress.Step step) {
        Path folder = null;
        try {
            // In the cache, beside its lock: a run killed while bootstrapping leaves it where the next one removes it.
            Path area = Files.createDirectories(cache.root().resolve(AREA));
            folder = Files.createTempDirectory(area, "." + key(recipe) + ".partial-");
            Path tar = folder.resolve("rootfs.tar");
            step.update("bootstrapping Debian " + recipe.debianRelease() + " with mmdebstrap");
            rootfs.bootstrap(recipe, tar);
            step.update("importing the root filesystem");
            processes.run(List.of("docker", "import", tar.toString(), recipe.baseImage()), IMPORT_TIMEOUT);
        } catch (ProcessFailedException e) {
            throw new ModuleBuildException(
                    "Could not import the root filesystem as " + recipe.baseImage() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not import the root filesystem for " + recipe.baseImage(), e);
        } finally {
            deleteTemporary(folder);
        }
    }

    private static String key(ToolchainRecipe recipe) {
        return recipe.image().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void deleteTemporary(Path folder) {
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not delete the temporary root filesystem in " + folder, e);
        }
    }
}
