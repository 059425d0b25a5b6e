package dev.livepatch.testkit.livepatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code lpt_blockers}: the tasks not yet switched with their stacks, joined by pid with the
 * kernel's latest {@code klp_try_switch_task: <comm>:<pid> <reason>} message since the transition started. The
 * kernel also switches each online CPU's idle task ({@code swapper/<cpu>}, pid 0), which {@code /proc} does not list:
 * one it named is a blocker known only by that message, without a stack.
 */
final class BlockerReport {
    private static final Pattern REASON = Pattern.compile("klp_try_switch_task: (.+):(\\d+) (.+)$");
    private static final int IDLE_PID = 0;

    private BlockerReport() {}

    static List<Blocker> parse(ScriptOutput output) {
        List<String> kernelLog = output.section(GuestTag.KERNEL_LOG);
        Map<Integer, String> reasons = reasons(kernelLog);
        List<Blocker> blockers = new ArrayList<>();
        List<String> stack = null;
        String[] task = null;
        for (ScriptOutput.Tagged line : output.tagged()) {
            if (line.tag() == GuestTag.TASK) {
                add(blockers, task, stack, reasons);
                task = line.value().split(" ", 3);
                stack = new ArrayList<>();
            } else if (line.tag() == GuestTag.FRAME && stack != null) {
                stack.add(line.value().strip());
            }
        }
        add(blockers, task, stack, reasons);
        blockers.addAll(idleTasks(kernelLog, untargetedState(output)));
        return blockers;
    }

    /** The idle tasks the kernel's messages name, by CPU, each with its latest reason. */
    private static List<Blocker> idleTasks(List<String> kernelLog, int patchState) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String line : kernelLog) {
            Matcher matcher = REASON.matcher(line);
            if (matcher.find() && Integer.parseInt(matcher.group(2)) == IDLE_PID) {
                reasons.put(matcher.group(1), matcher.group(3).strip());
            }
        }
        return reasons.entrySet().stream()
                .map(idle -> new Blocker(IDLE_PID, idle.getKey(), patchState, List.of(), Optional.of(idle.getValue())))
                .toList();
    }

    /** The state of a task not yet switched: the opposite of the transition's target (its patch's enabled). */
    private static int untargetedState(ScriptOutput output) {
        return output.tagged().stream()
                .filter(line -> line.tag() == GuestTag.TRANSITION)
                .map(line -> line.value().split(" "))
                .filter(words -> words.length == 2)
                .map(words -> "1".equals(words[1]) ? 0 : 1)
                .findFirst()
                .orElse(0);
    }

    private static void add(List<Blocker> blockers, String[] task, List<String> stack, Map<Integer, String> reasons) {
        if (task == null || task.length < 3) {
            return;
        }
        int pid = Integer.parseInt(task[0]);
        if (pid == IDLE_PID) {
            return;
        }
        blockers.add(
                new Blocker(pid, task[2], Integer.parseInt(task[1]), stack, Optional.ofNullable(reasons.get(pid))));
    }

    private static Map<Integer, String> reasons(List<String> kernelLog) {
        Map<Integer, String> reasons = new HashMap<>();
        for (String line : kernelLog) {
            Matcher matcher = REASON.matcher(line);
            if (matcher.find()) {
                reasons.put(Integer.parseInt(matcher.group(2)), matcher.group(3).strip());
            }
        }
        return reasons;
    }
}
