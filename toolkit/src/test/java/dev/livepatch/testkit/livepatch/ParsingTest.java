package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void errnoTextIsWhatFollowsTheLastColonOfTheLastLineWhateverTheTool() {
        assertThat(Failures.errno("insmod: ERROR: could not insert module /tmp/lpt/x/a.ko: Device or resource busy"))
                .contains("Device or resource busy");
        assertThat(Failures.errno("insmod: can't insert '/tmp/lpt/x/a.ko': Invalid argument"))
                .contains("Invalid argument");
        assertThat(Failures.errno("sh: write error: Invalid argument\n")).contains("Invalid argument");
        assertThat(Failures.errno("bash: line 1: echo: write error: Device or resource busy"))
                .contains("Device or resource busy");
        assertThat(Failures.errno("no separator here")).isEmpty();
        assertThat(Failures.errno("")).isEmpty();
    }

    @Test
    void kernelLogLinesKeepTheirTimestampsAndTextAndPrintAsDmesgDoes() {
        KernelLog log = KernelLogParser.parse(List.of(
                "[    3.300000] livepatch: 'p': starting patching transition",
                "[   19.010000] livepatch: signaling remaining tasks",
                "untimed line"));

        assertThat(log.messages().get(0).timestamp()).contains(Duration.ofMillis(3300));
        assertThat(log.messages().get(2).timestamp()).isEmpty();
        assertThat(log.timeBetween("starting patching", "signaling")).contains(Duration.ofMillis(15710));
        assertThat(log.timeBetween("signaling", "starting")).isEmpty();
        assertThat(log.text())
                .isEqualTo("[    3.300000] livepatch: 'p': starting patching transition\n"
                        + "[   19.010000] livepatch: signaling remaining tasks\nuntimed line");
    }

    @Test
    void aSliceStartsAtTheLastOccurrenceOfItsMarker() {
        KernelLog log = KernelLogParser.parse(List.of(
                "[    1.000000] % rmmod lpt_a",
                "[    1.100000] first removal", "[    2.000000] % rmmod lpt_a", "[    2.100000] second removal"));

        assertThat(log.since("% rmmod lpt_a").text())
                .isEqualTo("[    2.000000] % rmmod lpt_a\n[    2.100000] second removal");
        assertThat(log.since("% rmmod lpt_b").messages()).isEmpty();
    }

    @Test
    void livepatchLinesAreTheSelftestViewWithoutTaintNotices() {
        KernelLog log = KernelLogParser.parse(List.of(
                "[ 1.0] % insmod p.ko",
                "[ 1.1] p: loading out-of-tree module taints kernel.",
                "[ 1.2] livepatch: tainting kernel with TAINT_LIVEPATCH",
                "[ 1.3] livepatch: enabling patch 'p'",
                "[ 1.4] random driver line"));

        assertThat(log.livepatchLines()).containsExactly("% insmod p.ko", "livepatch: enabling patch 'p'");
    }

    @Test
    void taintBitsDecodeToTheKernelsLettersAndMeanings() {
        Taint taint = new Taint((1L << 12) | (1L << 13) | (1L << 15) | (1L << 40));

        assertThat(taint.flags()).containsExactly(TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE, TaintFlag.LIVEPATCH);
        assertThat(taint.letters()).isEqualTo("OEK");
        assertThat(taint.has(TaintFlag.LIVEPATCH)).isTrue();
        assertThat(taint.unknownBits()).containsExactly(40);
        assertThat(taint.describe())
                .startsWith((45056L + (1L << 40)) + " (OEK: externally-built (out-of-tree) module")
                .endsWith("kernel has been live patched, unknown bit 40)");
        assertThat(new Taint(0).describe()).isEqualTo("0 (not tainted)");
    }

    @Test
    void functionFoldersSplitIntoNameAndSymbolPosition() {
        assertThat(PatchedFunction.parse("busymod_work_func,1")).isEqualTo(new PatchedFunction("busymod_work_func", 1));
        assertThat(PatchedFunction.parse("f,3").toString()).isEqualTo("f,3");
    }

    @Test
    void aPatchFreedWhileBeingReadIsLeftOut() {
        ScriptOutput output = ScriptOutput.parse(String.join(
                "\n",
                "@@module b 1",
                "@@module a 0",
                "@@patch a",
                "@@attr enabled 1",
                "@@attr transition 0",
                "@@patch b",
                "@@attr enabled 1"));

        assertThat(SysfsSnapshot.parse(output).stack().names()).containsExactly("a");
        assertThat(SysfsSnapshot.parse(output).references("b")).isEqualTo(Optional.of(1));
    }
}
