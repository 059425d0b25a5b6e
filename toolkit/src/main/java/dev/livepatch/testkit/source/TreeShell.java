package dev.livepatch.testkit.source;

import dev.livepatch.testkit.container.ToolchainContainer;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where commands run at the top of a kernel tree: in a toolchain container (the tree and the given folders mounted at
 * their own paths) or on this host. Both see the same paths, so logs and messages read the same.
 */
interface TreeShell {
    /**
     * Runs {@code command} at the tree's top with {@code environment} added; {@code writable} are folders besides the
     * tree that it writes, {@code readable} folders that it only reads.
     */
    ExecResult run(
            List<String> command,
            Map<String, String> environment,
            List<Path> readable,
            List<Path> writable,
            Duration timeout,
            OutputStream log);

    /** What builds, e.g. {@code gcc-16 in a container}. */
    String describe();

    /** A shell whose every command also gets {@code base} in its environment (a cross build's ARCH, CROSS_COMPILE). */
    default TreeShell withEnvironment(Map<String, String> base) {
        if (base.isEmpty()) {
            return this;
        }
        TreeShell inner = this;
        return new TreeShell() {
            @Override
            public ExecResult run(
                    List<String> command,
                    Map<String, String> environment,
                    List<Path> readable,
                    List<Path> writable,
                    Duration timeout,
                    OutputStream log) {
                Map<String, String> all = new TreeMap<>(base);
                all.putAll(environment);
                return inner.run(command, all, readable, writable, timeout, log);
            }

            @Override
            public String describe() {
                return inner.describe() + ", " + base.get("CROSS_COMPILE") + "gcc for ARCH=" + base.get("ARCH");
            }
        };
    }

    static TreeShell container(Path tree, ToolchainContainer container) {
        return new TreeShell() {
            @Override
            public ExecResult run(
                    List<String> command,
                    Map<String, String> environment,
                    List<Path> readable,
                    List<Path> writable,
                    Duration timeout,
                    OutputStream log) {
                List<String> withEnvironment = new ArrayList<>(List.of("env"));
                new TreeMap<>(environment).forEach((name, value) -> withEnvironment.add(name + "=" + value));
                withEnvironment.addAll(command);
                List<Path> writableFolders = new ArrayList<>(List.of(tree));
                writableFolders.addAll(writable);
                return container.run(readable, writableFolders, tree, withEnvironment, timeout, log);
            }

            @Override
            public String describe() {
                return container.describe();
            }
        };
    }

    static TreeShell host(Path tree, ProcessRunner processes) {
        return new TreeShell() {
            @Override
            public ExecResult run(
                    List<String> command,
                    Map<String, String> environment,
                    List<Path> readable,
                    List<Path> writable,
                    Duration timeout,
                    OutputStream log) {
                return processes
                        .inDirectory(tree)
                        .withEnvironment(environment)
                        .echoingTo(log)
                        .exec(command, timeout);
            }

            @Override
            public String describe() {
                return "this host's gcc";
            }
        };
    }
}
