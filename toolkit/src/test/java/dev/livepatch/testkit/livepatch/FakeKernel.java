package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.guest.GuestLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake guest kernel for fast tests: a tree with {@code sys/kernel/livepatch}, {@code sys/module}, {@code proc} and
 * a {@code dev/kmsg} file, plus {@code insmod}, {@code rmmod} and {@code dmesg} stand-ins on the PATH. Fake modules
 * are ELF files with a {@code .modinfo} section followed by a shell script that uses the helpers of
 * {@code fake-kernel.sh}.
 */
public final class FakeKernel {
    public static final String RELEASE = "6.1.0-fake";
    public static final String VERMAGIC = RELEASE + " SMP preempt mod_unload modversions ";

    private final Path root;
    private final LocalShell shell;

    public FakeKernel(Path folder) {
        this.root = folder.resolve("guest");
        Path bin = folder.resolve("bin");
        try {
            for (String dir : List.of(
                    "sys/kernel/livepatch", "sys/module", "sys/kernel/debug/dynamic_debug", "proc/sys/kernel", "dev")) {
                Files.createDirectories(root.resolve(dir));
            }
            Files.writeString(root.resolve("proc/modules"), "");
            Files.writeString(root.resolve("proc/sys/kernel/tainted"), "0\n");
            Files.writeString(root.resolve("proc/sys/kernel/osrelease"), RELEASE + "\n");
            Files.writeString(root.resolve("dev/kmsg"), "Linux version 6.1.0-fake\n");
            Files.writeString(root.resolve("sys/kernel/debug/dynamic_debug/control"), "");
            Path library = root.resolve(GuestLibrary.LIVEPATCH.imagePath().substring(1));
            Files.createDirectories(library.getParent());
            Files.write(library, GuestLibrary.LIVEPATCH.content());
            Files.createDirectories(bin);
            Path helpers = bin.resolve("fake-kernel.sh");
            try (InputStream in = FakeKernel.class.getResourceAsStream("fake-kernel.sh")) {
                Files.write(helpers, in.readAllBytes());
            }
            tool(bin, "kmod", "exec \"$(dirname \"$0\")/fake-$(basename \"$0\")\" \"$@\"");
            for (String name : List.of("insmod", "rmmod")) {
                Files.createSymbolicLink(bin.resolve(name), Path.of("kmod"));
            }
            tool(
                    bin,
                    "fake-insmod",
                    String.join(
                            "\n",
                            "ko=\"$1\"; shift; . \"$(dirname \"$0\")/fake-kernel.sh\"",
                            "script=\"$(dirname \"$0\")/inserting.sh\"",
                            "sed '1,/^" + FakeModuleFile.SCRIPT_START + "$/d' \"$ko\" > \"$script\"",
                            ". \"$script\""));
            tool(
                    bin,
                    "fake-rmmod",
                    String.join(
                            "\n",
                            "m=\"$1\"; . \"$(dirname \"$0\")/fake-kernel.sh\"",
                            "[ -d \"$R/sys/module/$m\" ] || { echo \"rmmod: ERROR: Module $m is not currently loaded\" >&2; exit 1; }",
                            "read -r n < \"$R/sys/module/$m/refcnt\"",
                            "[ \"$n\" = 0 ] || { echo \"rmmod: ERROR: Module $m is in use\" >&2; exit 1; }",
                            "rm -r \"$R/sys/module/$m\"",
                            "grep -v \"^$m \" \"$R/proc/modules\" > \"$R/proc/modules.new\"; mv \"$R/proc/modules.new\" \"$R/proc/modules\""));
            tool(bin, "dmesg", "awk '{ printf \"[%5d.%06d] %s\\n\", NR, NR * 1000, $0 }' \"$R/dev/kmsg\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.shell = new LocalShell(Map.of(
                "R",
                root.toString(),
                "SBIN",
                bin.toString(),
                "KLIBC",
                root.resolve("no-klibc").toString(),
                "PATH",
                bin + ":" + System.getenv("PATH")));
    }

    private static void tool(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path root() {
        return root;
    }

    public LocalShell shell() {
        return shell;
    }

    public Livepatches livepatches() {
        return new GuestLivepatches(new GuestScripts(shell, root.toString()));
    }

    public Path module(Path folder, String fileName, String script) {
        return writeModule(folder, fileName, script);
    }

    public Path module(Path folder, String fileName, Map<String, String> modinfo, String script) {
        return writeModule(folder, fileName, modinfo, script);
    }

    /**
     * Writes a fake module built for this kernel: {@code script} runs when it is "inserted"; it is a livepatch
     * unless the script only makes a plain module ({@code fake_module}).
     */
    public static Path writeModule(Path folder, String fileName, String script) {
        Map<String, String> modinfo = new LinkedHashMap<>();
        modinfo.put("name", fileName.replace(".ko", "").replace('-', '_'));
        modinfo.put("vermagic", VERMAGIC);
        if (script.contains("fake_livepatch") || !script.contains("fake_module")) {
            modinfo.put("livepatch", "Y");
        }
        return writeModule(folder, fileName, modinfo, script);
    }

    /** Writes a fake module with the given {@code .modinfo} entries. */
    public static Path writeModule(Path folder, String fileName, Map<String, String> modinfo, String script) {
        try {
            Path ko = folder.resolve(fileName);
            Files.write(ko, FakeModuleFile.of(modinfo, script));
            return ko;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String file(String path) {
        try {
            return Files.readString(root.resolve(path.substring(1)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String path, String content) {
        try {
            Path file = root.resolve(path.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String path) {
        return Files.exists(root.resolve(path.substring(1)));
    }

    /** A task in {@code /proc} with its livepatch state, name and kernel stack. */
    public void task(int pid, int patchState, String comm, String... stack) {
        String task = "/proc/" + pid + "/task/" + pid + "/";
        write(task + "patch_state", patchState + "\n");
        write(task + "comm", comm + "\n");
        write(task + "stack", stack.length == 0 ? "" : String.join("\n", stack) + "\n");
    }
}
