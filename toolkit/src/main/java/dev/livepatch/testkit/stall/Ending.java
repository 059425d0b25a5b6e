package dev.livepatch.testkit.stall;

/** What to do with a transition once it has been seen to stall. */
public enum Ending {
    /** Write the opposite value to {@code enabled}: the transition turns around and the patch ends disabled. */
    REVERSE,
    /** Write 1 to {@code force}: every task counts as switched, whatever its stack. */
    FORCE
}
