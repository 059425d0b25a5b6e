package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.Operation;
import java.util.List;

/**
 * The kernel log lines the kernel's own selftests compare ({@code check_result}: {@code grep -e 'livepatch:' -e
 * 'test_klp' | grep -v '\(tainting\|taints\) kernel'}), with the toolkit's {@code lpt_} modules in place of
 * {@code test_klp}: livepatch core messages, the test modules' lines and the {@code % ...} step markers that name
 * them, without the taint notices whose wording depends on how a module was built, and without the toolkit's own
 * {@code testkit: awaiting} lines, as the scripts have no such wait. Every suite that compares kernel log lines as
 * the scripts do goes through this one filter.
 */
final class KernelLines {
    private KernelLines() {}

    static List<String> of(List<String> lines) {
        return lines.stream()
                .filter(line -> line.contains("livepatch:") || line.contains("lpt_"))
                .filter(line -> !line.matches(".*(tainting|taints) kernel.*"))
                .filter(line -> !line.startsWith("testkit: awaiting "))
                .toList();
    }

    static List<String> of(KernelLog log) {
        return of(log.lines());
    }

    static List<String> of(Operation operation) {
        return of(operation.kernelLog());
    }
}
