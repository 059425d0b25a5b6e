package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How a guest came up: a full boot, or a restore of the saved boot snapshot. */
@API(status = STABLE, since = "0.1")
public enum StartMode {
    COLD,
    SNAPSHOT
}
