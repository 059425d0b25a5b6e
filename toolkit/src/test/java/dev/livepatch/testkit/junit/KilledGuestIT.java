package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A class whose guest's QEMU is killed in the middle of a test: that test fails, the next ones get a new guest. */
@Tag("qemu")
class KilledGuestIT {
    private static final Duration QEMU_ENDS = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Map<String, String> GUEST_IDS = new ConcurrentHashMap<>();

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @LivepatchTest(image = "minimal", cpus = 1)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class QemuKilledInTheSecondTest {
        @Test
        void a(Guest guest) {
            GUEST_IDS.put("a", guest.id());
            assertThat(guest.shell().run("echo up", COMMAND).stdout()).isEqualTo("up\n");
        }

        @Test
        void b(Guest guest) {
            GUEST_IDS.put("b", guest.id());
            ProcessHandle qemu = qemuOf(guest);
            qemu.destroyForcibly();
            assertThat(qemu.onExit()).succeedsWithin(QEMU_ENDS);
            guest.shell().run("echo still up", COMMAND);
        }

        @Test
        void c(Guest guest) {
            GUEST_IDS.put("c", guest.id());
            assertThat(guest.shell().run("echo up", COMMAND).stdout()).isEqualTo("up\n");
        }

        @Test
        void d(Guest guest) {
            GUEST_IDS.put("d", guest.id());
            assertThat(guest.shell().run("echo up", COMMAND).stdout()).isEqualTo("up\n");
        }

        /** The guest's QEMU: the process whose arguments name the guest's run folder (its QMP socket is there). */
        private static ProcessHandle qemuOf(Guest guest) {
            String runFolder = guest.serialLog().getParent().toString();
            return ProcessHandle.allProcesses()
                    .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).stream()
                            .anyMatch(argument -> argument.contains(runFolder)))
                    .filter(process -> process.info()
                            .command()
                            .filter(command -> command.contains("qemu-system"))
                            .isPresent())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no QEMU process names " + runFolder));
        }
    }

    @Test
    void onlyTheTestRunningWhenQemuWasKilledFailsAndTheNextTestsRunOnANewGuest() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(QemuKilledInTheSecondTest.class))
                .execute();

        results.testEvents()
                .assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));
        assertThat(results.testEvents().failed().stream()
                        .map(event -> event.getTestDescriptor().getDisplayName()))
                .containsExactly("b(Guest)");
        assertThat(GUEST_IDS.get("b")).isEqualTo(GUEST_IDS.get("a"));
        assertThat(GUEST_IDS.get("c")).isNotEqualTo(GUEST_IDS.get("b")).isEqualTo(GUEST_IDS.get("d"));
        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .map(event -> event.getRequiredPayload(ReportEntry.class)
                                .getKeyValuePairs()
                                .get(LivepatchTest.GUEST_REPLACED_ENTRY))
                        .filter(Objects::nonNull))
                .containsExactly("Guest " + GUEST_IDS.get("b")
                        + " had stopped (its QEMU process is gone): the next tests run on a new guest, "
                        + GUEST_IDS.get("c"));
    }
}
