package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.deb.DebianArchive;
import dev.livepatch.testkit.deb.SuiteApt;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The QEMU program that runs an architecture's guests: the host's ({@link Arch.Qemu#binary()}, installed from
 * {@code host-programs.tsv}), unless the architecture is one whose kernels the host release's emulator may not boot
 * ({@link #FROM_BACKPORTS}) and the host's emulator does not load the guest's kernel image. Then the same package of
 * the host release's backports is downloaded through the toolkit's own apt state (signed lists, checked package; no
 * root, the host's packages untouched), its emulator alone unpacked into the cache ({@code emulators/}), asked the
 * same question, and used for that architecture only. Its libraries are those of the host release's own package, which
 * the launcher installs for the architecture: the backport is built for this release.
 *
 * <p>loongarch64 is such an architecture: Debian 12's QEMU (7.2) loads only ELF kernels, starts them without any boot
 * information (a current kernel prints nothing), and cannot load the EFI firmware of Debian's
 * {@code qemu-efi-loongarch64}; bookworm-backports' QEMU (10.0) loads the kernel's {@code vmlinux.efi} and hands it an
 * EFI system table and a device tree, so guests boot directly without firmware.
 */
final class Emulators {
    /** The architectures whose emulator may come from the host release's backports, with its package there. */
    static final Map<Arch, String> FROM_BACKPORTS = Map.of(Arch.LOONGARCH64, "qemu-system-misc");

    static final String AREA = "emulators";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<List<String>, ExecResult> PROBES = new ConcurrentHashMap<>();
    private static final Map<List<String>, String> RESOLVED = new ConcurrentHashMap<>();

    private Emulators() {}

    /**
     * The emulator that boots {@code bootImage} for {@code arch}: its program name, or a path into the cache. Decided
     * once per architecture, image and cache in a process.
     */
    static String resolve(Arch arch, Path bootImage, Cache cache, Progress progress) {
        if (!FROM_BACKPORTS.containsKey(arch)) {
            return arch.qemu().binary();
        }
        return RESOLVED.computeIfAbsent(
                List.of(arch.name(), bootImage.toString(), cache.root().toString()),
                key -> choose(arch, bootImage, cache, progress));
    }

    private static String choose(Arch arch, Path bootImage, Cache cache, Progress progress) {
        String host = arch.qemu().binary();
        String backportsPackage = FROM_BACKPORTS.get(arch);
        ExecResult hostProbe = probe(host, arch, bootImage);
        if (hostProbe.succeeded()) {
            return host;
        }
        String suite = DebianArchive.hostRelease(Path.of("/etc"))
                .map(release -> release + "-backports")
                .orElseThrow(() -> cannotLoad(
                        host,
                        hostProbe,
                        "this host names no Debian release whose backports could provide a newer one"));
        Path unpacked = progress.step(
                host + " does not load " + bootImage.getFileName() + ": using " + backportsPackage + " of " + suite,
                step -> unpack(backportsPackage, host, suite, cache, progress));
        ExecResult newer = probe(unpacked.toString(), arch, bootImage);
        if (!newer.succeeded()) {
            throw cannotLoad(
                    unpacked.toString(),
                    newer,
                    "install the host release's " + backportsPackage + " (apt-get install " + backportsPackage
                            + "), which brings the libraries it needs");
        }
        return unpacked.toString();
    }

    /**
     * Whether {@code binary} loads {@code bootImage} on {@code arch}'s machine: QEMU builds the machine, loads the
     * kernel, writes the device tree it would hand it to a file and exits, without running the guest (a tenth of a
     * second). Asked once per emulator and image in a process.
     */
    static ExecResult probe(String binary, Arch arch, Path bootImage) {
        return PROBES.computeIfAbsent(List.of(binary, arch.name(), bootImage.toString()), key -> {
            Path folder = null;
            try {
                folder = Files.createTempDirectory("lpt-emulator-probe");
                return run(probeCommand(binary, arch, bootImage, folder.resolve("guest.dtb")));
            } catch (IOException e) {
                throw new GuestBootException(
                        "Could not make a temporary folder to ask " + binary + " whether it loads " + bootImage + ": "
                                + e.getMessage(),
                        e);
            } finally {
                deleteQuietly(folder);
            }
        });
    }

    /**
     * The probe's command. The device tree goes to a file of the probe's own: QEMU writes it as a new file renamed
     * into place, which would replace whatever path it is given (never {@code /dev/null}).
     */
    static List<String> probeCommand(String binary, Arch arch, Path bootImage, Path deviceTree) {
        return List.of(
                binary,
                "-machine",
                arch.qemu().machine() + ",dumpdtb=" + deviceTree.toString().replace(",", ",,"),
                "-cpu",
                arch.qemu().cpu().isEmpty() ? "max" : arch.qemu().cpu(),
                "-m",
                "1G",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-kernel",
                bootImage.toString());
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException e) {
            // A leftover in the temporary folder; the answer stands.
        }
    }

    private static ExecResult run(List<String> command) {
        try {
            return ProcessRunner.create().exec(command, PROBE_TIMEOUT);
        } catch (ProcessFailedException e) {
            // Not installed, or not startable: it cannot load the image either.
            return new ExecResult(String.join(" ", command), -1, "", e.getMessage(), Duration.ZERO);
        }
    }

    /** The backport's emulator, unpacked once per package version: {@code emulators/<package file>/usr/bin/...}. */
    private static Path unpack(String packageName, String binary, String suite, Cache cache, Progress progress) {
        Apt apt = SuiteApt.of(suite, cache.root().resolve("apt")).apt(cache, progress);
        DebPackage deb = apt.download(List.of(packageName)).get(0);
        String member = "usr/bin/" + binary;
        String key = deb.file().getFileName().toString().replaceAll("\\.deb$", "");
        Path folder = cache.computeIfAbsent(
                AREA,
                key,
                binary + " of " + packageName + " " + deb.version(),
                target -> DebArchive.extract(deb.file(), target, member::equals));
        Path program = folder.resolve(member);
        if (!Files.isExecutable(program)) {
            throw new GuestBootException(packageName + " " + deb.version() + " of " + suite + " has no " + member);
        }
        return program;
    }

    private static GuestBootException cannotLoad(String binary, ExecResult probe, String remedy) {
        String said = Optional.ofNullable(probe.stderr()).map(String::strip).orElse("");
        return new GuestBootException(binary + " cannot boot this kernel image"
                + (said.isEmpty() ? "" : " (" + said + ")") + ": " + remedy + ".");
    }
}
