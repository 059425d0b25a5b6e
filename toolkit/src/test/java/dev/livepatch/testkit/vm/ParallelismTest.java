package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParallelismTest {
    private static final Machine ONE_CPU = new Machine(1, 512);

    @Test
    void underTcgAGuestCountsItsCpusPlusOneCore() {
        assertThat(Parallelism.byDefault(Accelerator.TCG, ONE_CPU, 2, 8192)).isEqualTo(1);
        assertThat(Parallelism.byDefault(Accelerator.TCG, ONE_CPU, 16, 65536)).isEqualTo(8);
        assertThat(Parallelism.byDefault(Accelerator.TCG, new Machine(2, 512), 16, 65536))
                .isEqualTo(5);
    }

    @Test
    void underKvmAGuestCountsItsCpus() {
        assertThat(Parallelism.byDefault(Accelerator.KVM, ONE_CPU, 2, 8192)).isEqualTo(2);
        assertThat(Parallelism.byDefault(Accelerator.KVM, new Machine(4, 512), 16, 65536))
                .isEqualTo(4);
    }

    @Test
    void memoryCapsItAfterLeavingTheHostItsShare() {
        assertThat(Parallelism.byDefault(Accelerator.KVM, ONE_CPU, 64, 1024 + 3 * 768))
                .isEqualTo(3);
    }

    @Test
    void oneGuestRunsWhateverTheHostLacks() {
        assertThat(Parallelism.byDefault(Accelerator.TCG, ONE_CPU, 1, 512)).isEqualTo(1);
    }
}
