package dev.livepatch.testkit.image;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.guest.GuestLibrary;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.SshKeys;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Builds guest images from recipes (the project's own, then the toolkit's) and caches them by the hash of their inputs
 * (recipe files and kernel); each image gets its own fresh SSH keys.
 */
@API(status = INTERNAL, since = "0.1")
public final class GuestImages {
    private static final String INITRAMFS = "initramfs.cpio";
    private static final String USER_KEY = "id_ed25519";
    private static final String DESCRIPTION = "image.properties";

    private final Cache cache;
    private final Path projectRecipes;
    private final Progress progress;

    /** Images from the recipes in {@code projectRecipes} (if that folder exists) and the toolkit's own. */
    public GuestImages(Cache cache, Path projectRecipes, Progress progress) {
        this.cache = cache.reportingTo(progress);
        this.projectRecipes = projectRecipes;
        this.progress = progress;
    }

    public static GuestImages standard(Progress progress) {
        return new GuestImages(
                Cache.standard(), Settings.inProject(Settings.PROJECT_DIR.get(), Settings.IMAGES_DIR.get()), progress);
    }

    public GuestImage build(String recipeName, Kernel kernel) {
        ImageRecipe recipe = ImageRecipe.load(List.of(projectRecipes, BundledRecipes.folder(cache)), recipeName);
        String key = recipeName + "-" + inputsHash(recipe, kernel);
        Path entry = cache.computeIfAbsent(
                "images", key, "guest image '" + recipeName + "'", folder -> assemble(recipe, kernel, key, folder));
        return describe(entry);
    }

    private void assemble(ImageRecipe recipe, Kernel kernel, String key, Path folder) throws IOException {
        progress.run("Building guest image '" + recipe.name() + "'", step -> {
            Apt apt = ImagePackages.apt(kernel.arch(), cache, progress);
            List<String> everything = new ArrayList<>(apt.withDependencies(recipe.packages()));
            List<DebPackage> debs = apt.download(everything);
            List<PackageFiles> all = new ArrayList<>();
            List<PackageFiles> requested = new ArrayList<>();
            for (DebPackage deb : debs) {
                step.update("unpacking " + deb.name());
                PackageFiles files = PackageFiles.unpack(deb, cache);
                all.add(files);
                if (recipe.packages().contains(deb.name())) {
                    requested.add(files);
                }
            }
            SshKeys.HostKey hostKey = SshKeys.generateHostKey("guest");
            String authorizedKey = SshKeys.generateUserKey(folder.resolve(USER_KEY), "livepatch-testkit");
            Initramfs image = new ImageAssembler(
                            kernel.arch(), ImagePackages.hostBusybox(kernel.arch(), cache, progress))
                    .assemble(recipe, requested, all, kernel, hostKey, authorizedKey);
            step.update("writing");
            image.write(folder.resolve(INITRAMFS));
            Properties description = new Properties();
            description.setProperty("name", recipe.name());
            description.setProperty(
                    "id",
                    key + "-"
                            + Sha256.of(hostKey.publicKey().getBytes(StandardCharsets.US_ASCII))
                                    .prefix(8));
            description.setProperty("kernel.release", kernel.release());
            description.setProperty("host.key", hostKey.publicKey());
            description.setProperty("kernel.arguments", recipe.kernelArguments());
            try (OutputStream out = Files.newOutputStream(folder.resolve(DESCRIPTION))) {
                description.store(out, "livepatch-testkit guest image");
            }
        });
    }

    private static GuestImage describe(Path entry) {
        Properties description = new Properties();
        try (InputStream in = Files.newInputStream(entry.resolve(DESCRIPTION))) {
            description.load(in);
        } catch (IOException e) {
            throw new ImageException(
                    "Cached image " + entry + " is unreadable; remove it with './testkit cache clean'", e);
        }
        return new GuestImage(
                description.getProperty("name"),
                description.getProperty("id"),
                description.getProperty("kernel.release"),
                entry.resolve(INITRAMFS),
                entry.resolve(USER_KEY),
                description.getProperty("host.key"),
                description.getProperty("kernel.arguments"));
    }

    private static String inputsHash(ImageRecipe recipe, Kernel kernel) {
        try {
            String facts = String.join("\n", recipe.packages()) + "\n" + String.join("\n", recipe.modules()) + "\n"
                    + recipe.kernelArguments() + "\n" + kernel.release() + "\n" + kernel.source() + "\n"
                    + GuestLibrary.LIVEPATCH.fileName() + "\n"
                    + (kernel.arch().equals(Arch.X86_64) ? "" : "arch=" + kernel.arch() + "\n");
            Sha256 hash = Sha256.of(facts);
            for (Path overlay : recipe.overlays()) {
                try (Stream<Path> files = Files.walk(overlay)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        hash.add(overlay.relativize(file).toString()).add(file);
                    }
                }
            }
            return hash.prefix(16);
        } catch (IOException e) {
            throw new ImageException("Could not read recipe " + recipe.name(), e);
        }
    }
}
