package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.FakeKernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Machine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

class LivepatchExtensionTest {

    @BeforeEach
    void forgetGuests() {
        FakeGuestProvider.forget();
    }

    @TempDir
    Path reports;

    private EngineExecutionResults run(Class<?> testCase, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameters(parameters)
                .outputDirectoryCreator(new OutputDirectoryCreator() {
                    @Override
                    public Path getRootDirectory() {
                        return reports;
                    }

                    /** One folder per test, as JUnit's own creator makes. */
                    @Override
                    public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
                        return Files.createDirectories(reports.resolve(
                                Integer.toHexString(descriptor.getUniqueId().hashCode())));
                    }
                })
                .execute();
    }

    @LivepatchTest(provider = FakeGuestProvider.class, kernel = "debian:6.1.0-56-amd64", cpus = 2)
    static class TwoTests {
        @Test
        void first(Guest guest, GuestShell shell, Livepatches livepatches) {
            assertThat(guest.id()).isEqualTo("fake-0");
            assertThat(shell).isSameAs(guest.shell());
            assertThat(livepatches.stack().patches()).isEmpty();
        }

        @Test
        void second(Guest guest, Kernel kernel, GuestImage image, PatchModules patches) {
            assertThat(guest.id()).isEqualTo("fake-0");
            assertThat(kernel.source()).isEqualTo("fake debian:6.1.0-56-amd64");
            assertThat(image.name()).isEqualTo("selftest");
            assertThat(patches).isNotNull();
        }
    }

    @Test
    void oneGuestServesTheWholeClassAndEveryTestAfterTheFirstStartsFromTheSnapshot() {
        run(TwoTests.class, Map.of(Settings.IMAGE.name(), "selftest", Settings.MEMORY_MIB.name(), "768"))
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(FakeGuestProvider.REQUESTS)
                .containsExactly(new GuestRequest("debian:6.1.0-56-amd64", "selftest", new Machine(2, 768)));
        FakeGuest guest = FakeGuestProvider.STARTED.get(0);
        assertThat(guest.resets).hasValue(1);
        assertThat(guest.closes).hasValue(1);
    }

    @LivepatchTest(
            provider = FakeGuestProvider.class,
            kernel = "debian:6.1.0-56-amd64",
            reset = LivepatchTest.Reset.WHEN_CHANGED)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class ResetWhenChanged {
        @Test
        void a(Guest guest) {}

        @Test
        void b(Guest guest) {}

        @Test
        void c(Guest guest) {
            throw new AssertionError("a failed test may have left anything behind");
        }

        @Test
        void d(Guest guest) {}
    }

    @Test
    void aClassThatResetsWhenChangedResetsOnlyAfterAFailureWhenTheGuestReadsTheSame() {
        run(ResetWhenChanged.class, Map.of())
                .testEvents()
                .assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));

        assertThat(FakeGuestProvider.STARTED.get(0).resets).hasValue(1);
    }

    @LivepatchTest(provider = FakeGuestProvider.class, kernel = "debian:6.1.0-56-amd64")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class GuestKilledInTheSecondTest {
        @Test
        void a(Guest guest) {
            assertThat(guest.id()).isEqualTo("fake-0");
        }

        @Test
        void b(Guest guest) {
            ((FakeGuest) guest).kill();
            guest.reset();
        }

        @Test
        void c(Guest guest) {
            assertThat(guest.id()).isEqualTo("fake-1");
        }

        @Test
        void d(Guest guest) {
            assertThat(guest.id()).isEqualTo("fake-1");
        }
    }

    @Test
    void aGuestKilledDuringATestFailsThatTestOnlyAndTheNextTestsRunOnANewGuestSaidOnce() {
        EngineExecutionResults results = run(GuestKilledInTheSecondTest.class, Map.of());

        results.testEvents()
                .assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));
        assertThat(results.testEvents().failed().stream()
                        .map(event -> event.getTestDescriptor().getDisplayName()))
                .containsExactly("b(Guest)");
        assertThat(FakeGuestProvider.STARTED).hasSize(2);
        assertThat(FakeGuestProvider.STARTED.get(0).closes).hasValue(1);
        assertThat(FakeGuestProvider.STARTED.get(1).resets).hasValue(1);
        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .map(event -> event.getRequiredPayload(ReportEntry.class)
                                .getKeyValuePairs()
                                .get(LivepatchTest.GUEST_REPLACED_ENTRY))
                        .filter(Objects::nonNull))
                .containsExactly("Guest fake-0 had stopped (its QEMU process is gone): the next tests run on a new"
                        + " guest, fake-1");
    }

    @LivepatchTest(provider = FakeGuestProvider.class, kernel = "debian:6.1.0-56-amd64", cpus = 2)
    static class SameGuestAsTwoTests {
        @Test
        void third(Guest guest) {
            assertThat(guest.id()).isEqualTo("fake-0");
        }
    }

    @LivepatchTest(provider = FakeGuestProvider.class, cpus = 1)
    static class OneCpu {
        @Test
        void test(Guest guest) {}
    }

    @LivepatchTest(provider = FakeGuestProvider.class, cpus = 3)
    static class ThreeCpus {
        @Test
        void test(Guest guest) {}
    }

    @LivepatchTest(provider = FakeGuestProvider.class, cpus = 4)
    static class FourCpus {
        @Test
        void test(Guest guest) {}
    }

    @Test
    void classesAskingForTheSameGuestShareItAndEachTestStartsFromTheSnapshot() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(TwoTests.class), selectClass(SameGuestAsTwoTests.class))
                .configurationParameters(Map.of(Settings.IMAGE.name(), "selftest"))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(3));

        assertThat(FakeGuestProvider.STARTED).hasSize(1);
        FakeGuest guest = FakeGuestProvider.STARTED.get(0);
        assertThat(guest.resets).hasValue(2);
        assertThat(guest.closes).hasValue(1);
    }

    @Test
    void idleGuestsBeyondTheLimitAreClosedLeastRecentlyUsedFirst() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(OneCpu.class), selectClass(ThreeCpus.class), selectClass(FourCpus.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(3));

        assertThat(FakeGuestProvider.STARTED).hasSize(3);
        assertThat(FakeGuestProvider.STARTED)
                .allSatisfy(guest -> assertThat(guest.closes).hasValue(1));
        assertThat(FakeGuestProvider.CLOSE_ORDER)
                .as("the first guest goes when a third is idle, the others when the run ends")
                .startsWith(FakeGuestProvider.STARTED.get(0).id());
    }

    @LivepatchTest(provider = FakeGuestProvider.class)
    static class OnEveryKernel {
        @Test
        void first(Kernel kernel) {}

        @Test
        void second(Kernel kernel) {}
    }

    @Test
    void withAListOfKernelsEachClassRunsOnceOnEachKernelInTurnWithItsOwnGuest() {
        EngineExecutionResults results = run(
                OnEveryKernel.class, Map.of(Settings.KERNELS.name(), "debian:bookworm, debian:sid,debian:bookworm"));

        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(4));
        assertThat(FakeGuestProvider.REQUESTS)
                .extracting(GuestRequest::kernel)
                .containsExactly("debian:bookworm", "debian:sid");
        assertThat(results.containerEvents().started().stream()
                        .map(event -> event.getTestDescriptor().getDisplayName()))
                .contains("OnEveryKernel on debian:bookworm", "OnEveryKernel on debian:sid");
        assertThat(FakeGuestProvider.STARTED)
                .allSatisfy(guest -> assertThat(guest.resets).hasValue(1));
    }

    @Test
    void withSeveralKernelsEachRunSaysWhichKernelItsLegacyIndexIs() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            run(OnEveryKernel.class, Map.of(Settings.KERNELS.name(), "debian:bookworm,debian:sid"));
        } finally {
            System.setOut(out);
        }

        String name = OnEveryKernel.class.getName();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        name + "[1] is OnEveryKernel on debian:bookworm, on guest fake-0",
                        name + "[2] is OnEveryKernel on debian:sid, on guest fake-1");
    }

    @Test
    void everySettingTheToolkitReadsDuringTheRunComesFromTheRunsConfigurationParametersFirst() {
        run(OnEveryKernel.class, Map.of(Settings.BOOT_TIMEOUT.name(), "42s"))
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(2));

        assertThat(FakeGuestProvider.BOOT_TIMEOUTS).containsExactly(Duration.ofSeconds(42));
        assertThat(Settings.BOOT_TIMEOUT.get())
                .as("once the run is over")
                .isEqualTo(Settings.BOOT_TIMEOUT.defaultValue());
    }

    @Test
    void aKernelNamedByTheClassWinsOverTheListOfKernels() {
        run(
                        TwoTests.class,
                        Map.of(
                                Settings.KERNELS.name(),
                                "debian:bookworm,debian:sid",
                                Settings.IMAGE.name(),
                                "selftest"))
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(FakeGuestProvider.REQUESTS)
                .extracting(GuestRequest::kernel)
                .containsExactly("debian:6.1.0-56-amd64");
    }

    @Test
    void withoutAListOfKernelsTheClassRunsOnceOnTheDefaultKernel() {
        run(OnEveryKernel.class, Map.of(Settings.KERNEL.name(), "debian:trixie"))
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(FakeGuestProvider.REQUESTS).extracting(GuestRequest::kernel).containsExactly("debian:trixie");
    }

    @LivepatchTest(provider = FakeGuestProvider.class)
    static class FailingTest {
        @Test
        void stalls(Livepatches livepatches, @TempDir Path folder) throws Exception {
            Path ko = FakeKernel.writeModule(
                    folder, "lpt_stuck.ko", "fake_livepatch lpt_stuck 1 vmlinux cmdline_proc_show,1");
            Patch patch = livepatches.load(ko);
            patch.awaitTransition(Duration.ofMillis(100));
        }
    }

    @LivepatchTest(provider = FakeGuestProvider.class)
    static class FailingSetUp {
        @BeforeEach
        void refusedLoad(Livepatches livepatches, @TempDir Path folder) {
            livepatches.load(FakeKernel.writeModule(folder, "lpt_refused.ko", "fail 'Invalid argument'"));
        }

        @Test
        void neverRuns() {}
    }

    @Test
    void aFailedSetUpGetsTheGuestsEvidenceAttachedToo() {
        EngineExecutionResults results = run(FailingSetUp.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .map(event ->
                                event.getRequiredPayload(ReportEntry.class).getKeyValuePairs()))
                .anySatisfy(entry ->
                        assertThat(entry.get("guest fake-0 kernel-log")).contains("% insmod lpt_refused.ko"));
    }

    @Test
    void aFailedTestGetsTheSerialConsoleKernelLogAndLivepatchSysfsAttached() {
        EngineExecutionResults results = run(FailingTest.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.failed(1));
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .toList();
        assertThat(entries)
                .contains(
                        Map.of(
                                "guest fake-0 serial-console",
                                "--- serial console (last 200 lines since the guest started from its boot snapshot; its"
                                        + " boot is not in this log) ---\nfake serial: guest ready"),
                        Map.of("guest fake-0 taint", "0 (not tainted)"));
        assertThat(entries)
                .anySatisfy(entry -> assertThat(entry.get("guest fake-0 kernel-log"))
                        .contains("% insmod lpt_stuck.ko", "livepatch: 'lpt_stuck': starting patching transition"));
        assertThat(entries)
                .anySatisfy(entry -> assertThat(entry.get("guest fake-0 livepatch-sysfs"))
                        .contains("/sys/kernel/livepatch/lpt_stuck/transition:1"));
        List<String> files = results.allEvents().fileEntryPublished().stream()
                .map(Event::getPayload)
                .map(payload -> ((FileEntry) payload.orElseThrow())
                        .getPath()
                        .getFileName()
                        .toString())
                .toList();
        assertThat(files)
                .containsExactly(
                        "serial-console.txt",
                        "kernel-log.txt",
                        "livepatch-sysfs.txt",
                        "livepatch-blockers.txt",
                        "taint.txt");
        Path blockers = results.allEvents().fileEntryPublished().stream()
                .map(event -> event.getRequiredPayload(FileEntry.class).getPath())
                .filter(path -> path.endsWith("livepatch-blockers.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(blockers).content().isEqualTo("no patch in transition, or no task behind\n");
        assertThat(entries)
                .contains(
                        Map.of("guest fake-0 attachments", blockers.getParent().toString()));
    }

    @LivepatchTest(provider = FakeGuestProvider.Unavailable.class)
    static class WithoutGuests {
        @Test
        void needsAGuest(Guest guest) {}
    }

    @Test
    void whereGuestsCannotStartTheClassIsSkippedUnlessPrerequisitesAreRequired() {
        EngineExecutionResults results = run(WithoutGuests.class, Map.of());

        if (Settings.prerequisitesRequired()) {
            results.containerEvents().assertStatistics(stats -> stats.failed(1));
        } else {
            assertThat(results.containerEvents().skipped().stream()
                            .map(event -> event.getRequiredPayload(String.class)))
                    .containsExactly("Guests cannot start: fake-qemu is not installed; set livepatch.require=true to"
                            + " fail instead of skipping");
        }
        assertThat(FakeGuestProvider.REQUESTS).isEmpty();
    }

    @Test
    void whenPrerequisitesAreRequiredAMissingGuestFailsTheClass() {
        EngineExecutionResults results = run(WithoutGuests.class, Map.of(Settings.REQUIRE.name(), "true"));

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(results.containerEvents().failed().stream()
                        .map(event -> event.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                                .getThrowable()
                                .orElseThrow()
                                .getMessage()))
                .containsExactly("Failed to evaluate condition [" + LivepatchExtension.class.getName() + "]: Guests"
                        + " are required here (livepatch.require=true or CI=true) but cannot start: fake-qemu is not"
                        + " installed");
    }

    @LivepatchTest(provider = FakeGuestProvider.Broken.class, image = "minimal", cpus = 1, memoryMib = 512)
    static class BrokenGuests {
        @Test
        void first(Guest guest) {}

        @Test
        void second(Guest guest) {}
    }

    @Test
    void aGuestThatFailsToStartFailsTheClassOnceWithTheRequestAndTheCause() {
        EngineExecutionResults results = run(BrokenGuests.class, Map.of(Settings.KERNEL.name(), "debian"));

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(FakeGuestProvider.REQUESTS).hasSize(1);
        assertThat(results.containerEvents().failed().stream()
                        .map(event -> event.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                                .getThrowable()
                                .orElseThrow()
                                .getMessage()))
                .containsExactly("Could not start a guest (kernel 'debian', image 'minimal', 1 CPU(s), 512 MiB):"
                        + " the fake firmware hung");
    }
}
