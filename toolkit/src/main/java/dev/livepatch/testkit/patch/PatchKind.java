package dev.livepatch.testkit.patch;

/** What a module in {@code patches/} is: a livepatch, or a plain module used as a test fixture. */
public enum PatchKind {
    LIVEPATCH,
    FIXTURE
}
