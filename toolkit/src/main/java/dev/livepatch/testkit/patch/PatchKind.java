package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What a module in {@code patches/} is: a livepatch, or a plain module used as a test fixture. */
@API(status = STABLE, since = "0.1")
public enum PatchKind {
    LIVEPATCH,
    FIXTURE
}
