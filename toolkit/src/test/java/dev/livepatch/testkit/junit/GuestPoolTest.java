package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.vm.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuestPoolTest {
    private static final GuestRequest SID = new GuestRequest("debian:sid", "minimal", new Machine(1, 512));
    private static final GuestRequest DEFAULT = new GuestRequest("debian", "minimal", new Machine(1, 512));
    private final FakeGuestProvider provider = new FakeGuestProvider();

    @BeforeEach
    @AfterEach
    void forget() {
        FakeGuestProvider.forget();
    }

    @Test
    void classesRunningAtOnceEachLeaseTheirOwnGuestAndStartThemTogether() throws Exception {
        ExecutorService classes = Executors.newFixedThreadPool(2);
        CountDownLatch bothStarting = new CountDownLatch(2);
        try (GuestPool pool = new GuestPool(1)) {
            List<Future<PooledGuest>> leases = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                leases.add(classes.submit(() -> pool.acquire(SID, () -> {
                    bothStarting.countDown();
                    await(bothStarting);
                    return PooledGuest.start(provider, SID);
                })));
            }

            assertThat(leases.get(0).get(30, TimeUnit.SECONDS))
                    .isNotSameAs(leases.get(1).get(30, TimeUnit.SECONDS));
            assertThat(FakeGuestProvider.STARTED).hasSize(2);
        } finally {
            classes.shutdownNow();
        }
    }

    @Test
    void aLaterClassTakesAReleasedGuestOfTheSameKindInsteadOfStartingOne() {
        try (GuestPool pool = new GuestPool(1)) {
            PooledGuest first = pool.acquire(SID, () -> PooledGuest.start(provider, SID));
            pool.release(first);

            PooledGuest again = pool.acquire(SID, () -> PooledGuest.start(provider, SID));
            PooledGuest other = pool.acquire(DEFAULT, () -> PooledGuest.start(provider, DEFAULT));

            assertThat(again).isSameAs(first);
            assertThat(other).isNotSameAs(first);
            assertThat(FakeGuestProvider.STARTED).hasSize(2);
        }
    }

    @Test
    void idleGuestsBeyondTheLimitAreClosedLeastRecentlyReleasedFirst() {
        try (GuestPool pool = new GuestPool(1)) {
            List<PooledGuest> leased = new ArrayList<>();
            for (int i = 0; i < GuestPool.MAX_IDLE + 1; i++) {
                leased.add(pool.acquire(SID, () -> PooledGuest.start(provider, SID)));
            }
            leased.forEach(pool::release);

            assertThat(FakeGuestProvider.STARTED.get(0).isRunning()).isFalse();
            assertThat(FakeGuestProvider.STARTED.subList(1, GuestPool.MAX_IDLE + 1))
                    .allMatch(FakeGuest::isRunning);
        }
        assertThat(FakeGuestProvider.STARTED).noneMatch(FakeGuest::isRunning);
    }

    @Test
    void aGuestWithoutABootSnapshotIsReplacedByANewOneBeforeTheNextTest() {
        try (PooledGuest pooled = PooledGuest.start(provider, SID)) {
            FakeGuest first = FakeGuestProvider.STARTED.get(0);
            first.bootedWithoutSnapshot();

            assertThat(pooled.prepareForTest(LivepatchTest.Reset.ALWAYS)).isEmpty();
            assertThat(pooled.prepareForTest(LivepatchTest.Reset.ALWAYS))
                    .contains(
                            "Guest fake-0 has no boot snapshot to restore: the next test runs on a new guest, fake-1");
            assertThat(first.resets).hasValue(0);
            assertThat(first.isRunning()).isFalse();
            assertThat(pooled.guest()).isSameAs(FakeGuestProvider.STARTED.get(1));
        }
    }

    @Test
    void aGuestThatDoesNotAnswerAfterItsResetIsReplacedByANewOne() {
        try (PooledGuest pooled = PooledGuest.start(provider, SID)) {
            FakeGuest first = FakeGuestProvider.STARTED.get(0);
            assertThat(pooled.prepareForTest(LivepatchTest.Reset.ALWAYS)).isEmpty();
            first.hangBeyondReset();

            assertThat(pooled.prepareForTest(LivepatchTest.Reset.ALWAYS))
                    .contains("Guest fake-0 did not answer after its reset (the log says why): the next tests run on a"
                            + " new guest, fake-1");
            assertThat(first.resets).hasValue(1);
            assertThat(first.isRunning()).isFalse();
            assertThat(pooled.guest()).isSameAs(FakeGuestProvider.STARTED.get(1));
            assertThat(pooled.prepareForTest(LivepatchTest.Reset.ALWAYS)).isEmpty();
            assertThat(FakeGuestProvider.STARTED.get(1).resets).hasValue(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS))
                    .as("both classes starting a guest at once")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
