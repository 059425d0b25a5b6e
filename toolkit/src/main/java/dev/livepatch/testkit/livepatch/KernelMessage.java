package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One line of the kernel log.
 *
 * @param timestamp time since boot as the kernel printed it, absent when the kernel prints no times
 * @param text the message without its timestamp, e.g. {@code livepatch: 'lpt_cmdline': patching complete}
 */
@API(status = STABLE, since = "0.1")
public record KernelMessage(Optional<Duration> timestamp, String text) {

    @Override
    public String toString() {
        return timestamp
                .map(time ->
                        String.format(Locale.ROOT, "[%5d.%06d] %s", time.toSeconds(), time.toNanosPart() / 1000, text))
                .orElse(text);
    }
}
