package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A task that has not switched to the target state of the running transition.
 *
 * @param pid the task (thread) id
 * @param comm the task name, e.g. {@code kworker/0:1}
 * @param patchState its {@code /proc/<pid>/patch_state}: 0 unpatched, 1 patched
 * @param stack its kernel stack from {@code /proc/<pid>/stack}, innermost frame first
 * @param reason why the kernel could not switch it, from its own {@code klp_try_switch_task} debug message (e.g.
 *     {@code is sleeping on function busymod_work_func}); present only when that message is enabled and logged
 */
@API(status = STABLE, since = "0.1")
public record Blocker(int pid, String comm, int patchState, List<String> stack, Optional<String> reason) {

    public Blocker {
        stack = List.copyOf(stack);
    }

    /** e.g. {@code kworker/0:1 (pid 29, patch_state 0) is sleeping on function f; stack: a+0x1 < b+0x2}. */
    public String describe() {
        return comm + " (pid " + pid + ", patch_state " + patchState + ")"
                + reason.map(text -> " " + text).orElse("")
                + (stack.isEmpty()
                        ? ""
                        : "; stack: "
                                + String.join(
                                        " < ",
                                        stack.stream()
                                                .map(frame -> frame.replaceFirst("^\\[<[0-9a-f]+>\\] ", ""))
                                                .toList()));
    }
}
