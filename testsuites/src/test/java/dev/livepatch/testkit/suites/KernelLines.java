package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.Operation;
import java.util.List;

/**
 * The kernel log lines the kernel's own selftests compare ({@code check_result}): livepatch core messages and the
 * test modules' own lines, without the taint notices whose wording depends on how a module was built.
 */
final class KernelLines {
    private KernelLines() {}

    static List<String> of(KernelLog log) {
        return log.lines().stream()
                .filter(line -> line.contains("livepatch:") || line.startsWith("lpt_"))
                .filter(line -> !line.matches(".*(tainting|taints) kernel.*"))
                .toList();
    }

    static List<String> of(Operation operation) {
        return of(operation.kernelLog());
    }
}
