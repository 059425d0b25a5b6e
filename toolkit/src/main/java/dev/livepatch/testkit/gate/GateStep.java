package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * One step of a {@link LivepatchGate}, reported as a test of its own.
 *
 * @param name what the step proves, e.g. {@code the check fails without the patch: grep -q patched /proc/cmdline}
 * @param body the step; it throws when what it proves does not hold
 */
@API(status = STABLE, since = "0.2")
public record GateStep(String name, Runnable body) {}
