package dev.livepatch.testkit.config;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A machine architecture a guest can run, with every fact the toolkit needs about it in one place: how Debian, the
 * kernel's build, the compilers and QEMU name it, and how its guests boot.
 *
 * @param name the toolkit's name, as {@code --arch} takes it
 * @param unameMachine what {@code uname -m} prints in a guest
 * @param debian Debian's architecture name ({@code dpkg --print-architecture})
 * @param kernelArch the kernel build's {@code ARCH=}
 * @param sourceDir the tree's folder under {@code arch/}, whose {@code Kconfig} says what the architecture offers
 * @param triplet the GNU triplet: {@code CROSS_COMPILE} is it with a dash, cross compilers are named after it
 * @param configSymbol the {@code .config} option that is {@code y} only for this architecture
 * @param defconfig the build target of the architecture's default configuration
 * @param bootImage the image a guest boots directly, relative to the tree
 * @param qemu how QEMU runs its guests
 */
@API(status = STABLE, since = "0.3")
public record Arch(
        String name,
        String unameMachine,
        String debian,
        String kernelArch,
        String sourceDir,
        String triplet,
        String configSymbol,
        String defconfig,
        String bootImage,
        Qemu qemu) {

    /** How devices attach to a guest: PCI, or s390's channel I/O. */
    public enum Bus {
        PCI,
        CCW
    }

    /**
     * QEMU's side of an architecture.
     *
     * @param binary the system emulator
     * @param machine {@code -machine}: the board, and its options after a comma
     * @param cpu the CPU model QEMU emulates ({@code -cpu} under TCG), with its options after a comma; empty for
     *     {@code max}, every feature the emulator has. KVM runs the host's.
     * @param console the kernel's serial console device
     * @param bus where virtio devices attach
     * @param debianPackage the Debian package of {@link #binary}
     * @param snapshots whether a guest restored with {@code loadvm} runs on: when not, every guest boots cold and a
     *     test that needs a pristine guest gets a new one
     */
    public record Qemu(
            String binary,
            String machine,
            String cpu,
            String console,
            Bus bus,
            String debianPackage,
            boolean snapshots) {
        /**
         * A machine whose snapshots work.
         *
         * @deprecated since 0.1.0, for removal: name whether snapshots work with the full constructor
         */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Qemu(String binary, String machine, String cpu, String console, Bus bus, String debianPackage) {
            this(binary, machine, cpu, console, bus, debianPackage, true);
        }
    }

    public static final Arch X86_64 = new Arch(
            "x86_64",
            "x86_64",
            "amd64",
            "x86",
            "x86",
            "x86_64-linux-gnu",
            "CONFIG_X86_64",
            "x86_64_defconfig",
            "arch/x86/boot/bzImage",
            new Qemu("qemu-system-x86_64", "pc", "", "ttyS0", Bus.PCI, "qemu-system-x86", true));

    /**
     * The arm64 CPU QEMU emulates: every feature, with pointer authentication's implementation-defined algorithm
     * ({@code pauth-impdef=on}) instead of the architected QARMA, which TCG computes in software at every signed
     * return address: the kernel signs and checks one in most functions it runs. The guest still signs and checks
     * them.
     */
    static final String ARM64_CPU = "max,pauth-impdef=on";

    public static final Arch ARM64 = new Arch(
            "arm64",
            "aarch64",
            "arm64",
            "arm64",
            "arm64",
            "aarch64-linux-gnu",
            "CONFIG_ARM64",
            "defconfig",
            "arch/arm64/boot/Image",
            new Qemu("qemu-system-aarch64", "virt", ARM64_CPU, "ttyAMA0", Bus.PCI, "qemu-system-arm", true));

    /**
     * QEMU's pseries machine as an emulated guest runs it. Booted by QEMU's minimal firmware (Virtual Open Firmware,
     * {@code x-vof=on}), which hands the kernel its device tree and leaves PCI to it, instead of SLOF, which takes most
     * of a cold boot. The speculation mitigations are declared absent ({@code broken}, {@code off}): TCG emulates none
     * of them, and asking for the machine's defaults prints a warning for each at every start.
     */
    static final String PSERIES = "pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off";

    /**
     * Whether a pseries guest runs on after {@code loadvm}: not with the QEMU of Debian 12 (7.2), whose TCG does not
     * save the decrementer's timer, so that a restored guest never gets its next timer interrupt (its first
     * {@code sleep} never returns; QEMU 8.1 saves it, "target/ppc: Migrate DECR SPR"). ppc64le guests boot cold.
     */
    static final boolean PSERIES_SNAPSHOTS = false;

    public static final Arch PPC64LE = new Arch(
            "ppc64le",
            "ppc64le",
            "ppc64el",
            "powerpc",
            "powerpc",
            "powerpc64le-linux-gnu",
            "CONFIG_PPC64",
            "ppc64le_defconfig",
            "vmlinux",
            new Qemu("qemu-system-ppc64", PSERIES, "", "hvc0", Bus.PCI, "qemu-system-ppc", PSERIES_SNAPSHOTS));

    /**
     * s390x's emulator comes in Debian 12's {@code qemu-system-misc} (QEMU 7.2); Debian 13 moves it to a package of its
     * own, {@code qemu-system-s390x}. The toolkit's hosts are Debian 12, as {@code host-programs.tsv} declares.
     */
    static final String S390X_QEMU_PACKAGE = "qemu-system-misc";

    /**
     * The s390x CPU QEMU emulates: every feature but the vector facility. Debian 12's QEMU (7.2) computes VECTOR
     * CHECKSUM wrongly under TCG on an x86-64 host (a static program's VCKSM disagreed with the architecture's sum in
     * 1000 of 1000 cases; QEMU 8.1 added a test of it), and the kernel's {@code csum_partial} uses it whenever the CPU
     * has vectors: every TCP segment a guest received failed its checksum, so SSH never connected. Without vectors the
     * kernel and glibc take their scalar paths; the vector enhancements go too, as they require the facility.
     */
    static final String S390X_CPU = "max,vx=off,vxeh=off";

    /**
     * QEMU's s390-ccw-virtio machine, booting the compressed image ({@code bzImage}) directly, without firmware; its
     * console is the SCLP's VT220 terminal ({@code ttysclp0}), where QEMU's first serial port goes on this machine,
     * and its virtio devices are on the channel subsystem. Boot snapshots work with Debian 12's QEMU: a guest restored
     * with {@code loadvm}, at start or in a reset, keeps its timers (a {@code sleep} returns) and its SSH
     * session.
     */
    public static final Arch S390X = new Arch(
            "s390x",
            "s390x",
            "s390x",
            "s390",
            "s390",
            "s390x-linux-gnu",
            "CONFIG_S390",
            "defconfig",
            "arch/s390/boot/bzImage",
            new Qemu("qemu-system-s390x", "s390-ccw-virtio", S390X_CPU, "ttysclp0", Bus.CCW, S390X_QEMU_PACKAGE, true));

    /**
     * The loongarch64 CPU QEMU emulates: the Loongson 3A5000's core, the only model Debian 12's QEMU accepts under TCG
     * and the one the kernel's {@code loongson64_defconfig} targets.
     */
    static final String LOONGARCH64_CPU = "la464";

    /**
     * Whether a loongarch64 guest runs on after {@code loadvm}: not when it starts from a snapshot in a new QEMU
     * process. QEMU saves the constant timer's registers ({@code TCFG}, {@code TVAL}) but not its own pending timer,
     * and nothing arms it again after loading: a restored guest stays in its idle loop and never gets its next timer
     * interrupt (seen with bookworm-backports' QEMU 10.0; {@code loadvm} into the process that saved the snapshot
     * works, as that timer is still armed there). loongarch64 guests boot cold.
     */
    static final boolean LOONGARCH64_SNAPSHOTS = false;

    /**
     * QEMU's virt machine, booting the uncompressed EFI image ({@code vmlinux.efi}) directly, without firmware: QEMU
     * hands the kernel a minimal EFI system table with its memory map, command line, initramfs and device tree, whose
     * syscon nodes reboot and power the guest off. Its console is the 16550 UART ({@code ttyS0}), its virtio devices
     * are on PCI. Debian 12's emulator (QEMU 7.2) cannot boot a current kernel: it loads only ELF files and passes the
     * kernel none of that information, and the 16 MiB EFI firmware of Debian's {@code qemu-efi-loongarch64} does not
     * fit its flash. Where the host's emulator does not load the boot image, guests run on QEMU from the host release's
     * backports, unpacked into the cache (see {@code vm.Emulators}).
     */
    public static final Arch LOONGARCH64 = new Arch(
            "loongarch64",
            "loongarch64",
            "loong64",
            "loongarch",
            "loongarch",
            "loongarch64-linux-gnu",
            "CONFIG_LOONGARCH",
            "loongson64_defconfig",
            "arch/loongarch/boot/vmlinux.efi",
            new Qemu(
                    "qemu-system-loongarch64",
                    "virt",
                    LOONGARCH64_CPU,
                    "ttyS0",
                    Bus.PCI,
                    "qemu-system-misc",
                    LOONGARCH64_SNAPSHOTS));

    /** Every architecture, the host's usual one first. */
    public static final List<Arch> ALL = List.of(X86_64, ARM64, PPC64LE, S390X, LOONGARCH64);

    private static final Map<String, Arch> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Arch::name, arch -> arch));

    /** The architectures by {@code --arch} name, in a stable order. */
    public static final String NAMES = "x86_64, arm64, ppc64le, s390x, loongarch64";

    /** The architecture {@code --arch} names; {@code uname -m}'s and Debian's names are taken too. */
    public static Arch parse(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Arch found = BY_NAME.get(name);
        if (found != null) {
            return found;
        }
        for (Arch arch : BY_NAME.values()) {
            if (arch.unameMachine.equals(name) || arch.debian.equals(name)) {
                return arch;
            }
        }
        throw new IllegalArgumentException("Unknown architecture '" + text + "': use one of " + NAMES + ".");
    }

    /** The architecture this JVM runs on; one the toolkit does not know counts as x86_64 (emulated). */
    public static Arch host() {
        String machine = System.getProperty("os.arch", "");
        return ALL.stream()
                .filter(arch ->
                        arch.name.equals(machine) || arch.unameMachine.equals(machine) || arch.debian.equals(machine))
                .findFirst()
                .orElse(X86_64);
    }

    /** Whether this architecture is the host's, so that its guests can run without emulation. */
    public boolean isHost() {
        return equals(host());
    }

    /** The Debian package of the cross compiler from this host to this architecture, e.g. gcc-16-aarch64-linux-gnu. */
    public String crossGccPackage(int gccMajor) {
        return "gcc-" + gccMajor + "-" + triplet;
    }

    /** The cross compiler's program, e.g. {@code aarch64-linux-gnu-gcc-16}. */
    public String crossGcc(int gccMajor) {
        return triplet + "-gcc-" + gccMajor;
    }

    /** {@code CROSS_COMPILE=}'s value, e.g. {@code aarch64-linux-gnu-}. */
    public String crossCompile() {
        return triplet + "-";
    }

    /** The {@code Kconfig} of the architecture in a tree, relative to the tree. */
    public String kconfig() {
        return "arch/" + sourceDir + "/Kconfig";
    }

    @Override
    public String toString() {
        return name;
    }
}
