package dev.livepatch.testkit.stall;

import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.KernelMessage;
import dev.livepatch.testkit.livepatch.PatchedFunction;
import dev.livepatch.testkit.livepatch.PatchedObject;
import dev.livepatch.testkit.livepatch.Taint;
import dev.livepatch.testkit.livepatch.TransitionTimeline;
import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ModInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reports as a stalled {@code lpt_callbacks} behind {@code lpt_busy}'s worker produces them, for unit tests. */
final class StallReports {
    static final List<String> WORKER_STACK = List.of(
            "[<0>] msleep+0x29/0x40",
            "[<0>] lpt_busy_work_func+0x38/0xfda [lpt_busy]",
            "[<0>] process_one_work+0x1c7/0x380",
            "[<0>] worker_thread+0x4d/0x380",
            "[<0>] kthread+0xda/0x100",
            "[<0>] ret_from_fork+0x22/0x30");

    private StallReports() {}

    static KernelModule module(Path folder, String name, boolean livepatch) throws IOException {
        Path ko = folder.resolve(name + ".ko");
        Files.write(ko, ("module " + name).getBytes());
        return new KernelModule(
                ko,
                new ModInfo(Map.of(
                        "name", List.of(name),
                        "livepatch", List.of(livepatch ? "Y" : "N"),
                        "vermagic", List.of("6.1.0-56-amd64 SMP preempt mod_unload modversions "))));
    }

    static StallScenario scenario(Path folder, Ending ending) throws IOException {
        return new StallScenario(
                List.of(new ModuleLoad(module(folder, "lpt_busy", false), Map.of("block_transition", "1"))),
                List.of("while :; do cat /proc/cmdline; done"),
                new ModuleLoad(module(folder, "lpt_callbacks", true), Map.of()),
                Duration.ofSeconds(5),
                ending);
    }

    static StallReport stalled(StallScenario scenario) {
        return new StallReport(
                scenario,
                Optional.empty(),
                List.of(new Blocker(
                        47,
                        "kworker/0:2+events",
                        0,
                        WORKER_STACK,
                        Optional.of("is sleeping on function lpt_busy_work_func"))),
                List.of(
                        new PatchedObject("vmlinux", Optional.of(true), List.of()),
                        new PatchedObject(
                                "lpt_busy", Optional.of(true), List.of(new PatchedFunction("lpt_busy_work_func", 1)))),
                Optional.of("reversed (echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled); the transition was over"
                        + " 291 ms later: lpt_callbacks is gone from sysfs"),
                new KernelLog(List.of(
                        new KernelMessage(Optional.of(Duration.ofMillis(3544)), "% insmod lpt_callbacks.ko"),
                        new KernelMessage(
                                Optional.of(Duration.ofMillis(4620)),
                                "livepatch: klp_try_switch_task: kworker/0:2:47 is sleeping on function"
                                        + " lpt_busy_work_func"))),
                "/sys/kernel/livepatch/lpt_callbacks/enabled:1\n/sys/kernel/livepatch/lpt_callbacks/transition:1",
                new Taint(45056),
                List.of(new TransitionTimeline(
                        "lpt_callbacks",
                        List.of(
                                new TransitionTimeline.Sample(Duration.ofMillis(3600), 1),
                                new TransitionTimeline.Sample(Duration.ofMillis(8600), 1)),
                        List.of(new TransitionTimeline.Event(
                                Duration.ofMillis(3550),
                                TransitionTimeline.Kind.STARTED,
                                "livepatch: 'lpt_callbacks': starting patching transition")),
                        TransitionTimeline.Ending.STALLED)));
    }
}
