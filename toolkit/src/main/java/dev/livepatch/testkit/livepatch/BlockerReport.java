package dev.livepatch.testkit.livepatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code lpt_blockers}: the tasks not yet switched with their stacks, joined by pid with the
 * kernel's latest {@code klp_try_switch_task: <comm>:<pid> <reason>} message since the transition started.
 */
final class BlockerReport {
    private static final Pattern REASON = Pattern.compile("klp_try_switch_task: (.+):(\\d+) (.+)$");

    private BlockerReport() {}

    static List<Blocker> parse(ScriptOutput output) {
        Map<Integer, String> reasons = reasons(output.section(GuestTag.KERNEL_LOG));
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
        return blockers;
    }

    private static void add(List<Blocker> blockers, String[] task, List<String> stack, Map<Integer, String> reasons) {
        if (task == null || task.length < 3) {
            return;
        }
        int pid = Integer.parseInt(task[0]);
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
