package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** What to do with a transition once it has been seen to stall. */
@API(status = INTERNAL, since = "0.1")
public enum Ending {
    /** Write the opposite value to {@code enabled}: the transition turns around and the patch ends disabled. */
    REVERSE,
    /** Write 1 to {@code force}: every task counts as switched, whatever its stack. */
    FORCE
}
