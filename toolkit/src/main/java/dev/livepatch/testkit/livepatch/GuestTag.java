package dev.livepatch.testkit.livepatch;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tags of the guest protocol: a line {@code @@<wire name>} or {@code @@<wire name> <value>} is a result the guest
 * library {@code livepatch.sh} prints for the host. The header of {@code livepatch.sh} says which function prints
 * which; a unit test fails when the script and this enum list different tags.
 */
enum GuestTag {
    /** The command found no guest library in the guest (its prelude prints it, not a function): send a copy. */
    NO_LIBRARY("no-library"),

    /** {@code <exit status>} of an action (insmod, a write, rmmod), or {@code 0|timeout} of a wait. */
    STATUS("status"),
    /** Starts the section of what the action printed: the tool's or the shell's error message. */
    OUTPUT("output"),
    /** Starts the section of the kernel log from the operation's marker on (or the kernel's switch reasons). */
    KERNEL_LOG("kernel-log"),
    /** The kernel log has no line equal to the operation's marker. */
    NO_MARKER("no-marker"),
    /** {@code <state>} of the patch right after an operation: {@code transition=T enabled=E}, or {@code removed}. */
    AFTER("after"),
    /** {@code <state>} last seen by a wait or by {@code lpt_reverse}; a module's refcnt, or {@code gone}. */
    SEEN("seen"),

    /** {@code <release>}: the guest runs another kernel than the module was built for; nothing was loaded. */
    WRONG_KERNEL("wrong-kernel"),
    /** The guest's {@code insmod} is not kmod's; nothing was loaded. */
    NO_KMOD("no-kmod"),
    /** {@code received <n> of <size> bytes}: the module's copy broke off; nothing was kept. */
    INCOMPLETE("incomplete"),
    /** The module file is not in the guest (it was not sent, and a reset lost the earlier copy). */
    MISSING("missing"),
    /** The module loaded but made no patch in sysfs; it was unloaded again. */
    NOT_A_LIVEPATCH("not-a-livepatch"),
    /** The file to write does not exist. */
    ABSENT("absent"),

    /** {@code <ms since the wait began> <tasks not switched>}: one point of a transition's timeline. */
    SAMPLE("sample"),

    /** {@code <name> <refcnt>}: a loaded module, newest first. */
    MODULE("module"),
    /** {@code <name>}: a patch folder in sysfs; the attributes and objects after it are its own. */
    PATCH("patch"),
    /** {@code <name>}: an object of the patch above; the attributes and functions after it are its own. */
    OBJECT("object"),
    /** {@code <name,sympos>}: a function of the object above. */
    FUNCTION("function"),
    /** {@code <attribute> <value>}: an attribute of the patch or object above. */
    ATTR("attr"),

    /** {@code <patch> <target state 0|1>}: the patch in transition. */
    TRANSITION("transition"),
    /** {@code <tid> <patch_state> <comm>}: a task not yet switched. */
    TASK("task"),
    /** {@code <line>}: a line of the kernel stack of the task above. */
    FRAME("frame"),

    /** {@code <value>} of {@code /proc/sys/kernel/tainted}. */
    TAINT("taint"),
    /** {@code <n>}: a module's reference count. */
    REFCNT("refcnt");

    /** What every tag line starts with. */
    static final String PREFIX = "@@";

    private static final Map<String, GuestTag> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(GuestTag::wireName, Function.identity()));

    private final String wireName;

    GuestTag(String wireName) {
        this.wireName = wireName;
    }

    /** The tag as the script writes it, without {@link #PREFIX}: {@code kernel-log}. */
    String wireName() {
        return wireName;
    }

    /** The line of this tag alone: {@code @@kernel-log}. */
    String line() {
        return PREFIX + wireName;
    }

    /** The value of {@code line} when it is this tag's line with a value: {@code removed} of {@code @@seen removed}. */
    Optional<String> value(String line) {
        String start = line() + " ";
        return line.startsWith(start) ? Optional.of(line.substring(start.length())) : Optional.empty();
    }

    /** The tag {@code line} starts with: {@link #SEEN} for {@code @@seen removed}; empty for other lines. */
    static Optional<GuestTag> of(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = line.indexOf(' ');
        return Optional.ofNullable(BY_WIRE_NAME.get(line.substring(PREFIX.length(), end < 0 ? line.length() : end)));
    }
}
