package dev.livepatch.testkit.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own livepatch selftests, test-syscall.sh: the getpid system call is patched while one task per CPU
 * calls it without pause, and every one of those tasks goes through the patched function.
 */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestSyscallIT {
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration ALL_PATCHED = Duration.ofSeconds(90);

    @Test
    @DisplayName("patch getpid syscall while being heavily hammered")
    void patchGetpidWhileHammered(Guest guest, PatchModules modules) {
        GuestShell shell = guest.shell();
        Selftest t = Selftest.start(guest, modules, "patch getpid syscall while being heavily hammered");
        int cpus = Integer.parseInt(shell.run("/usr/bin/getconf _NPROCESSORS_ONLN", COMMAND)
                .stdout()
                .strip());
        // bash's $BASHPID calls getpid() on every expansion: the scripts' test_klp-call_getpid, without a compiler.
        List<String> pids = shell.run(
                        "for i in $(seq " + Math.min(cpus, 128) + "); do"
                                + " /bin/bash -c 'while :; do : \"$BASHPID\"; done' </dev/null >/dev/null 2>&1 &"
                                + " echo $!; done",
                        COMMAND)
                .stdout()
                .lines()
                .toList();
        String pidList = String.join(",", pids);

        t.loadLivepatch("lpt_syscall", "klp_pids=" + pidList);
        String pending = shell.run(
                        "for i in $(seq " + ALL_PATCHED.toSeconds() * 10 + "); do"
                                + " [ \"$(cat /sys/kernel/lpt_syscall/npids)\" = 0 ] && break; sleep 0.1; done;"
                                + " cat /sys/kernel/lpt_syscall/npids",
                        ALL_PATCHED.plus(COMMAND))
                .stdout()
                .strip();
        t.log("lpt_syscall: Remaining not livepatched processes: " + pending);
        shell.run("kill " + String.join(" ", pids), COMMAND);
        t.disable("lpt_syscall");
        t.unload("lpt_syscall");

        assertThat(pending).as("tasks that never called the patched getpid").isEqualTo("0");
        t.check("""
                % insmod lpt_syscall.ko klp_pids=PIDS
                livepatch: enabling patch 'lpt_syscall'
                livepatch: 'lpt_syscall': initializing patching transition
                livepatch: 'lpt_syscall': starting patching transition
                livepatch: 'lpt_syscall': completing patching transition
                livepatch: 'lpt_syscall': patching complete
                lpt_syscall: Remaining not livepatched processes: 0
                % echo 0 > /sys/kernel/livepatch/lpt_syscall/enabled
                livepatch: 'lpt_syscall': initializing unpatching transition
                livepatch: 'lpt_syscall': starting unpatching transition
                livepatch: 'lpt_syscall': completing unpatching transition
                livepatch: 'lpt_syscall': unpatching complete
                % rmmod lpt_syscall
                """.replace("PIDS", pidList));
    }
}
