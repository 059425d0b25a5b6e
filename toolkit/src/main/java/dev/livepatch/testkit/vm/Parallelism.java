package dev.livepatch.testkit.vm;

/**
 * How many guests a run starts at once unless told: as many as the cores and the memory carry. A guest counts its
 * CPUs, under TCG too: a test keeps its guest's CPU busy only part of the time (the rest goes to SSH round trips and
 * the host's side), so on 2 cores 2 one-CPU guests ran the selftests 1.3x faster than one. Each guest needs its memory
 * plus QEMU's own (about 256 MiB under TCG, with its translation cache), and 1 GiB is left to the host.
 */
final class Parallelism {
    private static final long QEMU_OVERHEAD_MIB = 256;
    private static final long HOST_RESERVE_MIB = 1024;

    private Parallelism() {}

    static int byDefault(Machine machine, int cores, long availableMib) {
        int byCores = cores / machine.cpus();
        long byMemory = (availableMib - HOST_RESERVE_MIB) / (machine.memoryMib() + QEMU_OVERHEAD_MIB);
        return (int) Math.max(1, Math.min(byCores, byMemory));
    }
}
