package dev.livepatch.testkit.livepatch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code dmesg} lines: {@code [    1.234567] text}, or bare text when the kernel prints no times. A kernel
 * built with {@code CONFIG_PRINTK_CALLER} (powerpc's defconfigs set it) puts the printing task or CPU after the time,
 * {@code [    1.234567][  T315] text}: that is not part of the message.
 */
final class KernelLogParser {
    private static final Pattern TIMESTAMPED =
            Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{1,9})\\] ?(?:\\[\\s*[TC]\\d+\\] ?)?(.*)$");

    private KernelLogParser() {}

    static KernelLog parse(List<String> lines) {
        return new KernelLog(lines.stream().map(KernelLogParser::message).toList());
    }

    static KernelLog parse(String text) {
        return parse(text.lines().toList());
    }

    static KernelMessage message(String line) {
        Matcher matcher = TIMESTAMPED.matcher(line);
        if (!matcher.matches()) {
            return new KernelMessage(Optional.empty(), line);
        }
        String fraction = (matcher.group(2) + "000000000").substring(0, 9);
        Duration timestamp =
                Duration.ofSeconds(Long.parseLong(matcher.group(1))).plusNanos(Long.parseLong(fraction));
        return new KernelMessage(Optional.of(timestamp), matcher.group(3));
    }
}
