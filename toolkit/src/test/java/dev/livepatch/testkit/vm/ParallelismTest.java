package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParallelismTest {
    private static final Machine ONE_CPU = new Machine(1, 512);

    @Test
    void aGuestCountsItsCpus() {
        assertThat(Parallelism.byDefault(ONE_CPU, 2, 8192)).isEqualTo(2);
        assertThat(Parallelism.byDefault(ONE_CPU, 16, 65536)).isEqualTo(16);
        assertThat(Parallelism.byDefault(new Machine(4, 512), 16, 65536)).isEqualTo(4);
        assertThat(Parallelism.byDefault(new Machine(3, 512), 8, 65536)).isEqualTo(2);
    }

    @Test
    void memoryCapsItAfterLeavingTheHostItsShare() {
        assertThat(Parallelism.byDefault(ONE_CPU, 64, 1024 + 3 * 768)).isEqualTo(3);
        assertThat(Parallelism.byDefault(ONE_CPU, 64, 1024 + 3 * 768 - 1)).isEqualTo(2);
    }

    @Test
    void oneGuestRunsWhateverTheHostLacks() {
        assertThat(Parallelism.byDefault(ONE_CPU, 1, 512)).isEqualTo(1);
        assertThat(Parallelism.byDefault(new Machine(4, 512), 2, 8192)).isEqualTo(1);
    }
}
