package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** The kernel's taint mask from {@code /proc/sys/kernel/tainted}, decoded. */
@API(status = STABLE, since = "0.1")
public record Taint(long mask) {

    public Set<TaintFlag> flags() {
        EnumSet<TaintFlag> flags = EnumSet.noneOf(TaintFlag.class);
        for (TaintFlag flag : TaintFlag.values()) {
            if ((mask & (1L << flag.bit())) != 0) {
                flags.add(flag);
            }
        }
        return flags;
    }

    public boolean has(TaintFlag flag) {
        return (mask & (1L << flag.bit())) != 0;
    }

    public boolean isTainted() {
        return mask != 0;
    }

    /** Bits this toolkit has no name for (flags added by newer kernels). */
    public List<Integer> unknownBits() {
        List<Integer> bits = new ArrayList<>();
        for (int bit = TaintFlag.values().length; bit < Long.SIZE; bit++) {
            if ((mask & (1L << bit)) != 0) {
                bits.add(bit);
            }
        }
        return bits;
    }

    /** The letters of the set flags in bit order, e.g. {@code OEK}; empty when untainted. */
    public String letters() {
        return flags().stream().map(flag -> String.valueOf(flag.letter())).collect(Collectors.joining());
    }

    /** e.g. {@code 45056 (OEK: externally-built (out-of-tree) module was loaded, ...)}. */
    public String describe() {
        if (!isTainted()) {
            return "0 (not tainted)";
        }
        List<String> parts =
                new ArrayList<>(flags().stream().map(TaintFlag::meaning).toList());
        unknownBits().forEach(bit -> parts.add("unknown bit " + bit));
        return mask + " (" + letters() + ": " + String.join(", ", parts) + ")";
    }
}
