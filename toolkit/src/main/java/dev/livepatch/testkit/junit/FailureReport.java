package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.RemoteCommandException;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a failed test's report gets from its guest: short report entries (tails) and the full texts as files. Each
 * piece is gathered on its own, so a crashed guest still yields its serial console.
 */
final class FailureReport {
    private static final int SERIAL_LINES = 200;
    private static final int ENTRY_LINES = 30;

    private FailureReport() {}

    /**
     * Publishes what the guest can still tell. The livepatch state is read over SSH, so it is left out, with one line
     * saying why, when the guest is gone (its QEMU was killed, say) or cannot be reached.
     */
    static void publish(ExtensionContext context, Guest guest, Supplier<Livepatches> livepatchesOfGuest) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("serial-console", gather(() -> guest.serialSection(SERIAL_LINES)));
        guest.crash().ifPresent(line -> texts.put("kernel-crash", line));
        if (!guest.isRunning()) {
            texts.put("livepatch-state", "(not read: the guest is no longer running)");
        } else {
            try {
                Livepatches livepatches = livepatchesOfGuest.get();
                OverSsh ssh = new OverSsh();
                texts.put("kernel-log", ssh.gather(() -> livepatches.kernelLog().text()));
                texts.put("livepatch-sysfs", ssh.gather(livepatches::sysfsDump));
                texts.put("livepatch-blockers", ssh.gather(() -> describe(livepatches.blockers())));
                texts.put("taint", ssh.gather(() -> livepatches.taint().describe()));
            } catch (RuntimeException e) {
                texts.put("livepatch-state", "(not read: " + Progress.reason(e) + ")");
            }
        }
        texts.forEach((name, text) -> context.publishReportEntry("guest " + guest.id() + " " + name, tail(text)));
        try {
            AtomicReference<Path> folder = new AtomicReference<>();
            texts.forEach((name, text) -> context.publishFile(name + ".txt", MediaType.TEXT_PLAIN_UTF_8, path -> {
                Files.writeString(path, text + "\n");
                folder.set(path.toAbsolutePath().getParent());
            }));
            context.publishReportEntry("guest " + guest.id() + " attachments", String.valueOf(folder.get()));
            // Standard output reaches the console and, under Maven, the test's <system-out> in the JUnit XML.
            System.out.println("The guest's evidence of the failed " + context.getDisplayName() + " ("
                    + String.join(", ", texts.keySet()) + ") is in " + folder.get());
        } catch (RuntimeException e) {
            context.publishReportEntry(
                    "guest " + guest.id() + " attachments",
                    "(the full texts could not be attached: " + e.getMessage() + ")");
        }
    }

    /** The text, or one line saying why it could not be read: the error's first line, not its whole report. */
    private static String gather(Supplier<String> source) {
        try {
            String text = source.get();
            return text.isBlank() ? "(empty)" : text;
        } catch (RuntimeException e) {
            return "(could not read it: " + Progress.reason(e) + ")";
        }
    }

    /**
     * Reads over SSH until the guest stops answering: once a read overran its time or could not start, the guest is
     * hung or unreachable, and each later read would wait out its own timeout for nothing.
     */
    private static final class OverSsh {
        private String unanswered;

        String gather(Supplier<String> source) {
            if (unanswered != null) {
                return "(not read: the guest did not answer an earlier read: " + unanswered + ")";
            }
            return FailureReport.gather(() -> {
                try {
                    return source.get();
                } catch (RemoteCommandException e) {
                    throw e;
                } catch (SshException e) {
                    unanswered = Progress.reason(e);
                    throw e;
                }
            });
        }
    }

    private static String describe(List<Blocker> blockers) {
        return blockers.isEmpty()
                ? "no patch in transition, or no task behind"
                : String.join("\n", blockers.stream().map(Blocker::describe).toList());
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        if (lines.size() <= ENTRY_LINES) {
            return text;
        }
        return "[last " + ENTRY_LINES + " of " + lines.size() + " lines]\n"
                + String.join("\n", lines.subList(lines.size() - ENTRY_LINES, lines.size()));
    }
}
