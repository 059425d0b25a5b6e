package dev.livepatch.testkit.vm;

/**
 * How many guests a run starts at once unless told: as many as the cores and the memory carry. Under TCG each guest
 * keeps a host core busy with its emulated CPUs, and the host's own side of a test (the JVM, SSH, module builds)
 * needs cores too, so a guest counts its CPUs plus one; under KVM a guest mostly waits, and a core each is enough.
 * Each guest needs its memory plus QEMU's own (about 256 MiB under TCG, with its translation cache), and 1 GiB is left
 * to the host.
 */
final class Parallelism {
    private static final long QEMU_OVERHEAD_MIB = 256;
    private static final long HOST_RESERVE_MIB = 1024;

    private Parallelism() {}

    static int byDefault(Accelerator accelerator, Machine machine, int cores, long availableMib) {
        int byCores = accelerator == Accelerator.KVM ? cores / machine.cpus() : cores / (machine.cpus() + 1);
        long byMemory = (availableMib - HOST_RESERVE_MIB) / (machine.memoryMib() + QEMU_OVERHEAD_MIB);
        return (int) Math.max(1, Math.min(byCores, byMemory));
    }
}
