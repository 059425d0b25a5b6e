package dev.livepatch.testkit.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.gate.GateOptions;
import dev.livepatch.testkit.gate.GateOptions.GateModule;
import dev.livepatch.testkit.gate.GatePatch;
import dev.livepatch.testkit.gate.LivepatchGate;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.stall.Workload;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Each sample diff of {@code diffs/} through the gate {@code ./testkit check} runs, with the check the README gives
 * for it, under load: built by the kernel tree's klp-build, its check failing before and passing after, clean kernel
 * log, disabled, loaded again. {@code ./testkit test --kernel source:debian:sid klp-build}.
 */
@Tag("klp-build")
@LivepatchTest
class SampleDiffGatesIT {
    private Guest guest;
    private Kernel kernel;
    private GuestImage image;

    @BeforeEach
    void connect(Guest guest, Kernel kernel, GuestImage image) {
        assumeTrue(
                Files.isExecutable(kernel.buildDir().resolve("scripts/livepatch/klp-build")),
                "klp-build needs a kernel built from a Linux 6.19+ source tree (--kernel source:<tree>), not "
                        + kernel.source());
        this.guest = guest;
        this.kernel = kernel;
        this.image = image;
    }

    /** The gate of {@code diffs/<name>.patch} with {@code check}, under the cpu and sleep workloads. */
    private Stream<DynamicTest> gate(String name, String check, GateModule... fixtures) {
        Path diff = Settings.inProject(Settings.PROJECT_DIR.get(), Path.of("diffs", name + ".patch"));
        GateOptions options = new GateOptions(
                GateModule.of(GatePatch.of(diff)),
                Optional.empty(),
                List.of(fixtures),
                List.of(check),
                List.of(Workload.of("cpu"), Workload.of("sleep")),
                Duration.ofSeconds(30),
                Settings.inProject(Settings.PROJECT_DIR.get(), Settings.CHECK_BUNDLES.get()));
        return LivepatchGate.of(options, guest, kernel, image).tests();
    }

    /** A check that the number after {@code key=} in {@code file} grows from one read to the next. */
    private static String grows(String file, String key) {
        String read = "sed -n 's/.*" + key + "=\\([0-9]*\\).*/\\1/p' " + file + " | head -n 1";
        return "a=$(" + read + ") && b=$(" + read + ") && [ -n \"$a\" ] && [ \"$b\" -gt \"$a\" ]";
    }

    @TestFactory
    Stream<DynamicTest> staticData() {
        return gate("static-data", "grep -q 'klp_static_data: this version has been live patched' /proc/version");
    }

    @TestFactory
    Stream<DynamicTest> global() {
        return gate("global", grows("/proc/loadavg", "klp_global_reads"));
    }

    @TestFactory
    Stream<DynamicTest> newFunction() {
        return gate("new-function", "grep -q '^klp_new_function: these devices have been live patched' /proc/devices");
    }

    @TestFactory
    Stream<DynamicTest> shadow() {
        return gate("shadow", grows("/proc/uptime", "klp_shadow_reads"));
    }

    @TestFactory
    Stream<DynamicTest> syscall() {
        return gate("syscall", "uname -v | grep -q 'klp_syscall: uname has been live patched'");
    }

    @TestFactory
    Stream<DynamicTest> callbacks() {
        return gate("callbacks", "grep -q 'klp_callbacks: the post-patch callback has run' /proc/softirqs");
    }

    @TestFactory
    Stream<DynamicTest> staticLocal() {
        return gate("static-local", grows("/proc/consoles", "klp_static_local"));
    }

    @TestFactory
    Stream<DynamicTest> module() {
        return gate(
                "module",
                "{ [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc;"
                        + " } && grep -q 'klp_module: live patched' /proc/sys/fs/binfmt_misc/status",
                GateModule.of(new GatePatch.ShippedModule("binfmt_misc")));
    }
}
