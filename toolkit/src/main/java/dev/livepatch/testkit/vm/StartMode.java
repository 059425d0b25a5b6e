package dev.livepatch.testkit.vm;

/** How a guest came up: a full boot, or a restore of the saved boot snapshot. */
public enum StartMode {
    COLD,
    SNAPSHOT
}
