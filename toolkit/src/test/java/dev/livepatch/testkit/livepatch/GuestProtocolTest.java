package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.guest.GuestLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract between {@code livepatch.sh} and the Java that calls it: its tags, arguments and time unit. */
class GuestProtocolTest {
    private static final Pattern TAG = Pattern.compile("@@([a-z][a-z-]*)");
    private static final Pattern FUNCTION = Pattern.compile("(?m)^(lpt_[a-z_]+)\\(\\) \\{$");
    private static final Pattern HEADER_FUNCTION = Pattern.compile("(?m)^# (lpt_[a-z_]+)\\b");

    /** Printed by the command that sources the library, when the guest lacks it; not by the library. */
    private static final Set<GuestTag> PRINTED_BY_THE_HOST_COMMAND = EnumSet.of(GuestTag.NO_LIBRARY);

    private static final String SCRIPT = new String(GuestLibrary.LIVEPATCH.content(), StandardCharsets.UTF_8);
    private static final List<String> LINES = SCRIPT.lines().toList();

    /** The comment block the script starts with: the protocol's header. */
    private static String header() {
        return LINES.stream().takeWhile(line -> line.startsWith("#")).collect(Collectors.joining("\n"));
    }

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

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void theScriptAndTheEnumNameTheSameTags() {
        Set<String> inScript = tags(SCRIPT);
        Set<String> inEnum = wireNames(EnumSet.allOf(GuestTag.class));

        assertThat(inScript).as("tags in livepatch.sh that GuestTag lacks").isSubsetOf(inEnum);
        assertThat(inEnum)
                .as("GuestTag constants that livepatch.sh never names")
                .isSubsetOf(inScript);
    }

    @Test
    void theScriptPrintsEveryTagButTheHostCommandsOwnAndItsHeaderListsThemAll() {
        Set<GuestTag> printedByTheLibrary = EnumSet.complementOf(EnumSet.copyOf(PRINTED_BY_THE_HOST_COMMAND));

        assertThat(tags(code()))
                .as("tags the functions of livepatch.sh print")
                .isEqualTo(wireNames(printedByTheLibrary));
        assertThat(tags(header()))
                .as("tags the header of livepatch.sh lists")
                .isEqualTo(wireNames(EnumSet.allOf(GuestTag.class)));
        assertThat(new GuestScripts(null, "").command("lpt_taint", List.of()))
                .contains("echo " + GuestTag.NO_LIBRARY.line() + ";");
    }

    @Test
    void everyFunctionTheHeaderListsIsDefined() {
        Set<String> listed = matches(HEADER_FUNCTION, header());

        assertThat(listed).contains("lpt_insmod", "lpt_write", "lpt_await", "lpt_rmmod", "lpt_dump");
        assertThat(matches(FUNCTION, SCRIPT)).containsAll(listed);
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

    @Test
    void timeCrossesInMillisecondsRoundedUpSoThatNoWaitEndsEarly() {
        assertThat(GuestScripts.arg("limit", Duration.ofSeconds(2))).isEqualTo("limit=2000");
        assertThat(GuestScripts.arg("interval", Duration.ofMillis(5))).isEqualTo("interval=5");
        assertThat(GuestScripts.arg("limit", Duration.ofNanos(1_000_001))).isEqualTo("limit=2");
        assertThat(GuestScripts.arg("limit", Duration.ZERO)).isEqualTo("limit=1");
        assertThat(GuestScripts.time("2500")).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void argumentsAreKeyValueWordsWithPlainKeys() {
        assertThat(GuestScripts.arg("marker", "% echo 1 > /sys/x")).isEqualTo("marker=% echo 1 > /sys/x");
        assertThatThrownBy(() -> GuestScripts.arg("Bad key", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a guest function's argument key is [a-z_]+, not 'Bad key'");
    }

    @Test
    void aFunctionRefusesAnUnknownOrMissingArgumentWithExitStatus2(@TempDir Path folder) {
        GuestScripts scripts = new GuestScripts(
                new FakeKernel(folder).shell(), folder.resolve("guest").toString());

        assertThatThrownBy(() -> scripts.call("lpt_refcnt", "module=a", "bogus=1"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("exited with status 2")
                .hasMessageContaining("livepatch.sh: unexpected argument 'bogus=1'; the function takes module");
        assertThatThrownBy(() -> scripts.call("lpt_rmmod", "module=a", "marker=% rmmod a"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("exited with status 2")
                .hasMessageContaining("livepatch.sh: grace=... is missing; the function takes module marker grace");
        assertThatThrownBy(() -> scripts.call("lpt_dump", "a"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("livepatch.sh: unexpected argument 'a'; the function takes patch");
    }

    @Test
    void valuesKeepTheirSpacesAndEqualsSignsAndAreNeverRunAsCode(@TempDir Path folder) {
        FakeKernel kernel = new FakeKernel(folder);
        GuestScripts scripts = new GuestScripts(kernel.shell(), kernel.root().toString());
        kernel.write("/sys/module/a/parameters/p", "");
        String file = kernel.root() + "/sys/module/a/parameters/p";

        ScriptOutput output = scripts.call(
                "lpt_write",
                GuestScripts.arg("file", file),
                GuestScripts.arg("value", "x=$(echo no) y"),
                GuestScripts.arg("marker", "% echo x > p"));

        assertThat(output.value(GuestTag.STATUS)).contains("0");
        assertThat(kernel.file("/sys/module/a/parameters/p")).isEqualTo("x=$(echo no) y\n");
        assertThat(output.kernelLog().lines()).containsExactly("% echo x > p");
    }
}
