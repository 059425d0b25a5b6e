package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.guest.GuestLibrary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The contract between {@code livepatch.sh} and the Java that calls it: its tags. */
class GuestProtocolTest {
    private static final Pattern TAG = Pattern.compile("@@([a-z][a-z-]*)");

    /** Printed by the command that sources the library, when the guest lacks it; not by the library. */
    private static final Set<GuestTag> PRINTED_BY_THE_HOST_COMMAND = EnumSet.of(GuestTag.NO_LIBRARY);

    private static final List<String> LINES = new String(GuestLibrary.LIVEPATCH.content(), StandardCharsets.UTF_8)
            .lines()
            .toList();

    /** The script's code, without its comments. */
    private static String code() {
        return LINES.stream()
                .filter(line -> !line.stripLeading().startsWith("#"))
                .collect(Collectors.joining("\n"));
    }

    private static Set<String> tags(String text) {
        Set<String> tags = new TreeSet<>();
        Matcher matcher = TAG.matcher(text);
        while (matcher.find()) {
            tags.add(matcher.group(1));
        }
        return tags;
    }

    private static Set<String> wireNames(Set<GuestTag> tags) {
        return tags.stream().map(GuestTag::wireName).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theScriptPrintsEveryTagButTheHostCommandsOwnAndNoOther() {
        Set<GuestTag> printedByTheLibrary = EnumSet.complementOf(EnumSet.copyOf(PRINTED_BY_THE_HOST_COMMAND));

        assertThat(tags(code()))
                .as("tags the functions of livepatch.sh print")
                .isEqualTo(wireNames(printedByTheLibrary));
        assertThat(new GuestScripts(null, "").command("lpt_taint", List.of()))
                .contains("echo " + GuestTag.NO_LIBRARY.line() + ";");
    }

    @Test
    void eachTagHasItsOwnWireNameAndReadsBackFromALine() {
        assertThat(Arrays.stream(GuestTag.values()).map(GuestTag::wireName).distinct())
                .hasSize(GuestTag.values().length);
        for (GuestTag tag : GuestTag.values()) {
            assertThat(GuestTag.of(tag.line())).contains(tag);
            assertThat(GuestTag.of(tag.line() + " a value")).contains(tag);
            assertThat(tag.value(tag.line() + " a value")).contains("a value");
            assertThat(tag.value(tag.line())).isEmpty();
        }
        assertThat(GuestTag.of("@@unknown 1")).isEmpty();
        assertThat(GuestTag.of("[ 1.0] @@seen removed")).isEmpty();
        assertThat(GuestTag.SEEN.value("@@seenx removed")).isEmpty();
    }

    @Test
    void outputIsReadByTag() {
        ScriptOutput output = ScriptOutput.parse(String.join(
                "\n",
                "@@status 1",
                "@@output",
                "insmod: ERROR: could not insert module: Invalid argument",
                "@@sample 0 2",
                "@@sample 100 1",
                "@@no-marker",
                "@@kernel-log",
                "[ 1.0] % insmod a.ko"));

        assertThat(output.value(GuestTag.STATUS)).contains("1");
        assertThat(output.values(GuestTag.SAMPLE)).containsExactly("0 2", "100 1");
        assertThat(output.has(GuestTag.NO_MARKER)).isTrue();
        assertThat(output.has(GuestTag.STATUS)).isFalse();
        assertThat(output.actionOutput()).isEqualTo("insmod: ERROR: could not insert module: Invalid argument");
        assertThat(output.section(GuestTag.KERNEL_LOG)).containsExactly("[ 1.0] % insmod a.ko");
        assertThat(output.tagged())
                .extracting(ScriptOutput.Tagged::tag)
                .containsExactly(
                        GuestTag.STATUS,
                        GuestTag.OUTPUT,
                        GuestTag.SAMPLE,
                        GuestTag.SAMPLE,
                        GuestTag.NO_MARKER,
                        GuestTag.KERNEL_LOG);
    }
}
