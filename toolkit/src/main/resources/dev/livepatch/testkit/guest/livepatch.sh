# livepatch.sh: the livepatch operations the toolkit runs inside a guest, one SSH command per call. POSIX sh: the
# guest's shell is busybox ash (dash and bash run it too; the unit tests' fake kernel runs it with the host's sh).
#
# GUEST PROTOCOL, format 2 (format 1 had positional arguments, and times in centiseconds and in seconds)
#
# The host (GuestScripts, in dev.livepatch.testkit.livepatch) sends one command: it sets the variables below,
# sources this file and calls one function. A guest without this file gets @@no-library from that command, and a
# copy. The file's name holds a hash of its content, so host and guest always speak the same format.
#   R      prefixes the kernel interfaces (/sys, /proc/<pid>, /dev/kmsg); empty in a real guest
#   TASKS  + or -: whether the kernel logs why each task cannot switch (klp_try_switch_task)
#   SBIN   where kmod's insmod link is; /sbin unless set
#   KLIBC  where klibc's programs are; /usr/lib/klibc/bin unless set
#
# Arguments are key=value words, in any order; lpt_insmod takes the module's own parameters after a "--". A missing
# key, an unknown one or a word without "=" is the host's mistake: the function says so on stderr and returns 2.
#
# Time is in milliseconds everywhere: the limits and intervals the host sends and the @@sample times it reads. Java
# counts a Duration in them (toMillis, ofMillis) and so do the reports' timelines (atMs); the 5 ms poll interval is
# a whole number of them, which it is not of centiseconds; the guest's clock (adjtimex) has microseconds, and shell
# arithmetic is 64-bit.
#
# Output: a line "@@<tag>" or "@@<tag> <value>" is a result for the host; any other line belongs to the section of
# the tag line above it. The Java enum GuestTag has one constant per tag; GuestProtocolTest fails when they differ.
#   <state>   "transition=<0|1> enabled=<0|1>", "transition=? enabled=?" while the patch is freed, or "removed"
#   <result>  @@status <the action's exit status>, then @@output and the text the action printed
#   <log>     @@kernel-log and the kernel log from the marker's line on, or @@kernel-log @@no-marker without it
#
# lpt_insmod ko=<guest path> module=<name> livepatch=<0|1> release=<kernel built for> marker=<kernel log line>
#            [size=<bytes on stdin; 0, the default: the guest has the file>] [-- <module parameter>...]
#   -> @@wrong-kernel <the guest's release> | @@no-kmod | @@incomplete <what arrived> | @@missing
#    | <result> [@@after <state> | @@not-a-livepatch] <log>
# lpt_write file=<path> value=<text> marker=<kernel log line>
#   -> @@absent | <result> [@@after <state>, when the file is a patch's enabled] <log>
# lpt_reverse patch=<name>
#   -> @@seen <state>, then what lpt_write prints for the opposite of enabled while the patch is in transition
# lpt_rmmod module=<name> marker=<kernel log line> grace=<ms>
#   -> <result> <log>
# lpt_await patch=<name> limit=<ms> interval=<ms> marker=<kernel log line of the transition's start>
#   -> @@sample <ms since the wait's start> <tasks not switched>, every 100 ms and last; @@seen <state>
#      @@status <0|timeout> <log>
# lpt_await_refcnt module=<name> count=<n> limit=<ms> interval=<ms>
#   -> @@seen <refcnt|gone> @@status <0|timeout>
# lpt_dump [patch=<name>]
#   -> @@module <name> <refcnt> per loaded module (newest first); per patch @@patch <name> and its @@attr <name>
#      <value>, per object @@object <name>, its @@attr patched <0|1> and a @@function <name,sympos> per function
# lpt_blockers
#   -> nothing without a transition; else @@transition <patch> <target 0|1>, per task not switched @@task <tid>
#      <patch_state> <comm> and a @@frame <line> per stack line, then @@kernel-log and the kernel's reasons
# lpt_taint       -> @@taint <value of /proc/sys/kernel/tainted>
# lpt_refcnt module=<name>
#   -> @@refcnt <n>, nothing when the module is not loaded
# lpt_sysfs       -> every file under /sys/kernel/livepatch with its content, as grep -r prints them; no tags
# lpt_dynamic_debug
#   -> nothing: turns on the livepatch core's debug lines, and klp_try_switch_task's as TASKS says (the guest
#      image's /etc/testkit/rc calls it too, at boot)
# (The host also runs plain dmesg the same way: no tags.)

KLP="$R/sys/kernel/livepatch"

# lpt_options "<required keys>" "<optional keys>" <word>...: each key=value word, up to a "--", into lpt_arg_<key>
# (the keys not given are unset); lpt_used is how many words it read, the "--" included, for the caller to shift.
lpt_options() {
    lpt_required="$1"
    lpt_keys=" $1 $2 "
    shift 2
    for lpt_key in $lpt_keys; do
        unset "lpt_arg_$lpt_key"
    done
    lpt_used=0
    for lpt_word in "$@"; do
        lpt_used=$((lpt_used + 1))
        [ "$lpt_word" = -- ] && break
        lpt_key="${lpt_word%%=*}"
        case "$lpt_key" in
            "$lpt_word" | '' | *[!a-z_]*) lpt_key="=" ;;
        esac
        case "$lpt_keys" in
            *" $lpt_key "*) eval "lpt_arg_$lpt_key=\${lpt_word#*=}" ;;
            *)
                echo "livepatch.sh: unexpected argument '$lpt_word'; the function takes" $lpt_keys >&2
                return 2
                ;;
        esac
    done
    for lpt_key in $lpt_required; do
        eval "[ -n \"\${lpt_arg_$lpt_key+set}\" ]" && continue
        echo "livepatch.sh: $lpt_key=... is missing; the function takes" $lpt_keys >&2
        return 2
    done
    return 0
}

# lpt_now: the clock in milliseconds, from the adjtimex system call: the patches under test may change what any
# /proc file prints (a livepatch of uptime_proc_show is the first one many people write), so none is read here.
lpt_now() {
    lpt_sec=
    lpt_usec=0
    while read -r lpt_key lpt_value; do
        case "$lpt_key" in
            time.tv_sec:) lpt_sec=$lpt_value ;;
            time.tv_usec:) lpt_usec=$lpt_value ;;
        esac
    done << LPT_CLOCK
$(busybox adjtimex 2> /dev/null)
LPT_CLOCK
    if [ -n "$lpt_sec" ]; then
        echo $((lpt_sec * 1000 + lpt_usec / 1000))
        return
    fi
    # Without busybox (the unit tests' fake kernel runs this on the host): GNU date's nanoseconds.
    lpt_ns=$(date +%s%N)
    echo $((lpt_ns / 1000000))
}

# lpt_seconds <ms>: sets lpt_seconds to that time in seconds, as sleep takes it (5 is 0.005), without a subshell.
lpt_seconds() {
    lpt_seconds=$(($1 / 1000)).$(($1 % 1000 / 100))$(($1 % 100 / 10))$(($1 % 10))
}

# The livepatch core's pr_debug lines (the transition steps) are switched on once; the file under /run remembers
# it, and whether klp_try_switch_task's are on. Guest images do it at boot, so every snapshot starts with it done.
lpt_dynamic_debug() {
    lpt_control="$R/sys/kernel/debug/dynamic_debug/control"
    lpt_done="$R/run/livepatch-testkit/dynamic-debug"
    [ -f "$lpt_control" ] || return 0
    { read -r lpt_tasks < "$lpt_done"; } 2> /dev/null && [ "$lpt_tasks" = "$TASKS" ] && return 0
    { echo 'file kernel/livepatch/* +p'; echo "func klp_try_switch_task ${TASKS}p"; } > "$lpt_control" 2> /dev/null
    mkdir -p "${lpt_done%/*}" && echo "$TASKS" > "$lpt_done"
    return 0
}

lpt_marker() {
    echo "$1" >> "$R/dev/kmsg"
}

# lpt_log_from <marker>: the lines of stdin from the last one whose text equals the marker; fails without it. The
# text follows the time and, with CONFIG_PRINTK_CALLER, the caller ("[    8.38][  T315] % echo ...").
lpt_log_from() {
    M="$1" awk '
        { line[NR] = $0; text = $0; sub(/^\[[^]]*\] ?/, "", text); sub(/^\[ *[TC][0-9]+\] /, "", text)
          if (text == ENVIRON["M"]) start = NR }
        END { if (start) { for (i = start; i <= NR; i++) print line[i] } else exit 1 }'
}

# Prints the kernel log from the last line whose text equals $1: usually among the last lines, so those are
# searched first.
lpt_kernel_log() {
    echo "@@kernel-log"
    dmesg | tail -n 100 | lpt_log_from "$1" || dmesg | lpt_log_from "$1" || echo "@@no-marker"
}

# lpt_insmod_tool: sets lpt_insmod_tool to an insmod that makes one load call: klibc's, a static program of a few
# KiB (kmod's links four libraries, which costs tens of milliseconds a load under emulation), else kmod's. Either is
# called by path, because busybox's shell prefers its own applets, and busybox's insmod retries a module the kernel
# refused with init_module: the kernel would see a failing load twice. (Any rmmod will do: it makes one
# delete_module call.)
lpt_insmod_tool() {
    lpt_insmod_tool="${KLIBC:-/usr/lib/klibc/bin}/insmod"
    [ -x "$lpt_insmod_tool" ] && return 0
    lpt_insmod_tool="${SBIN:-/sbin}/insmod"
    for lpt_kmod in /bin/kmod /usr/bin/kmod "${SBIN:-/sbin}/kmod"; do
        [ "$lpt_insmod_tool" -ef "$lpt_kmod" ] && return 0
    done
    return 1
}

# lpt_seen <patch folder>: sets lpt_seen to the patch's state: "transition=T enabled=E", or removed once freed.
lpt_seen() {
    lpt_seen=removed
    { read -r lpt_transition < "$1/transition" && read -r lpt_enabled < "$1/enabled"; } 2> /dev/null \
        && lpt_seen="transition=$lpt_transition enabled=$lpt_enabled"
    if [ "$lpt_seen" = removed ] && [ -d "$1" ]; then
        lpt_seen="transition=? enabled=?"
    fi
}

# lpt_after <patch folder>: the state right after an operation; a transition that is already over needs no wait.
# A patch whose unpatching is complete is freed by a work item a moment later, so that moment is waited for.
lpt_after() {
    lpt_seen "$1"
    lpt_tries=0
    while [ "$lpt_seen" = "transition=0 enabled=0" ] && [ "$lpt_tries" -lt 20 ]; do
        sleep 0.005
        lpt_seen "$1"
        lpt_tries=$((lpt_tries + 1))
    done
    echo "@@after $lpt_seen"
}

lpt_report() {
    echo "@@status $1"
    echo "@@output"
    [ -n "$2" ] && printf '%s\n' "$2"
    return 0
}

# lpt_receive <file> <size>: stdin into the file, which is kept only when exactly that many bytes arrived.
lpt_receive() {
    lpt_received=0
    mkdir -p "${1%/*}" && cat > "$1.partial" && lpt_received=$(wc -c < "$1.partial") \
        && [ "$lpt_received" -eq "$2" ] && mv -f "$1.partial" "$1" && return 0
    rm -f "$1.partial"
    echo "@@incomplete received $lpt_received of $2 bytes"
    return 1
}

# lpt_insmod: refuses a module built for another kernel before anything else. The module's bytes come on stdin,
# unless size is 0: the guest has them already, or says they are missing. livepatch=1 expects a livepatch.
lpt_insmod() {
    lpt_options "ko module release marker" "livepatch size" "$@" || return
    shift "$lpt_used"
    lpt_ko="$lpt_arg_ko" lpt_module="$lpt_arg_module" lpt_mark="$lpt_arg_marker"
    # read, not cat: no process (a string sysctl, unlike a number, can be read a byte at a time, as read does)
    read -r lpt_release < "$R/proc/sys/kernel/osrelease"
    if [ "$lpt_release" != "$lpt_arg_release" ]; then
        echo "@@wrong-kernel $lpt_release"
        return 0
    fi
    if ! lpt_insmod_tool; then
        echo "@@no-kmod"
        return 0
    fi
    if [ "${lpt_arg_size:-0}" != 0 ] && ! lpt_receive "$lpt_ko" "$lpt_arg_size"; then
        return 0
    fi
    if [ ! -f "$lpt_ko" ]; then
        echo "@@missing"
        return 0
    fi
    lpt_dynamic_debug
    lpt_marker "$lpt_mark"
    lpt_out=$("$lpt_insmod_tool" "$lpt_ko" "$@" 2>&1)
    lpt_status=$?
    case "$lpt_out" in
        "insmod: error inserting '$lpt_ko': "*)
            # klibc's words, in kmod's: the errno's text after the last ": ", as the host reads it
            lpt_out="${lpt_out#"insmod: error inserting '$lpt_ko': "}"
            lpt_out="insmod: ERROR: could not insert module $lpt_ko: ${lpt_out#-1 }"
            ;;
    esac
    lpt_report "$lpt_status" "$lpt_out"
    if [ "$lpt_status" = 0 ] && [ "${lpt_arg_livepatch:-0}" = 1 ]; then
        if [ -d "$KLP/$lpt_module" ]; then
            lpt_after "$KLP/$lpt_module"
        else
            echo "@@not-a-livepatch"
            rmmod "$lpt_module" 2>&1
        fi
    fi
    lpt_kernel_log "$lpt_mark"
}

# lpt_write: the kernel's answer to a sysfs write is the write's errno.
lpt_write() {
    lpt_options "file value marker" "" "$@" || return
    lpt_file="$lpt_arg_file" lpt_mark="$lpt_arg_marker"
    if [ ! -e "$lpt_file" ]; then
        echo "@@absent"
        return 0
    fi
    lpt_dynamic_debug
    lpt_marker "$lpt_mark"
    lpt_out=$( { echo "$lpt_arg_value" > "$lpt_file"; } 2>&1)
    lpt_report $? "$lpt_out"
    [ "${lpt_file##*/}" = enabled ] && lpt_after "${lpt_file%/*}"
    lpt_kernel_log "$lpt_mark"
}

# lpt_reverse: writes the opposite of enabled, only while the patch is in transition.
lpt_reverse() {
    lpt_options "patch" "" "$@" || return
    lpt_patch="$lpt_arg_patch"
    lpt_dir="$KLP/$lpt_patch"
    { read -r lpt_transition < "$lpt_dir/transition" && read -r lpt_enabled < "$lpt_dir/enabled"; } 2> /dev/null
    if [ "$?" != 0 ]; then
        echo "@@seen removed"
        return 0
    fi
    echo "@@seen transition=$lpt_transition enabled=$lpt_enabled"
    [ "$lpt_transition" = 1 ] || return 0
    lpt_value=$((1 - lpt_enabled))
    lpt_write file="$lpt_dir/enabled" value="$lpt_value" \
        marker="% echo $lpt_value > /sys/kernel/livepatch/$lpt_patch/enabled"
}

# lpt_rmmod: a freed patch drops its module reference just after its sysfs folder goes away, so wait up to grace
# for the count to reach 0 unless the patch is still enabled. The clock is read only once there is a wait: mostly
# the count is 0 at once, and each reading costs processes.
lpt_rmmod() {
    lpt_options "module marker grace" "" "$@" || return
    lpt_module="$lpt_arg_module" lpt_mark="$lpt_arg_marker"
    lpt_end=
    while :; do
        { read -r lpt_refcnt < "$R/sys/module/$lpt_module/refcnt"; } 2> /dev/null || break
        [ "$lpt_refcnt" = 0 ] && break
        { read -r lpt_enabled < "$KLP/$lpt_module/enabled"; } 2> /dev/null && [ "$lpt_enabled" = 1 ] && break
        lpt_time=$(lpt_now)
        [ -n "$lpt_end" ] || lpt_end=$((lpt_time + lpt_arg_grace))
        [ "$lpt_time" -ge "$lpt_end" ] && break
        sleep 0.005
    done
    lpt_marker "$lpt_mark"
    lpt_out=$(rmmod "$lpt_module" 2>&1)
    lpt_report $? "$lpt_out"
    lpt_kernel_log "$lpt_mark"
}

# lpt_pending <target state>: how many tasks have not switched to the transition's target state (1 patched,
# 0 unpatched), from each task's /proc/<pid>/task/<tid>/patch_state.
lpt_pending() {
    lpt_pending=0
    for lpt_state_file in "$R"/proc/[0-9]*/task/[0-9]*/patch_state; do
        { read -r lpt_state < "$lpt_state_file"; } 2> /dev/null || continue
        [ "$lpt_state" != "$1" ] && [ "$lpt_state" != -1 ] && lpt_pending=$((lpt_pending + 1))
    done
    return 0
}

# lpt_await: waits until the patch is out of transition and enabled, or gone (a disabled or replaced patch is
# freed), reading its state every interval. While it waits it prints, every tenth of a second, a sample: the time
# since the start and how many tasks have not switched. The start is the time of the "testkit: awaiting <patch>"
# line it writes to the kernel log, which puts the samples on the kernel log's clock (it is no "% " marker: the
# selftests compare those). The kernel log it prints starts at the marker.
lpt_await() {
    lpt_options "patch limit interval marker" "" "$@" || return
    lpt_dir="$KLP/$lpt_arg_patch"
    lpt_seconds "$lpt_arg_interval"
    echo "testkit: awaiting $lpt_arg_patch" >> "$R/dev/kmsg" 2> /dev/null
    lpt_start=$(lpt_now)
    lpt_end=$((lpt_start + lpt_arg_limit))
    lpt_next_sample=$lpt_start
    while :; do
        lpt_seen "$lpt_dir"
        case "$lpt_seen" in
            removed | "transition=0 enabled=1") lpt_status=0 && break ;;
        esac
        lpt_time=$(lpt_now)
        if [ "$lpt_time" -ge "$lpt_next_sample" ] && [ "${lpt_seen#transition=1 enabled=}" != "$lpt_seen" ]; then
            lpt_pending "${lpt_seen#transition=1 enabled=}"
            echo "@@sample $((lpt_time - lpt_start)) $lpt_pending"
            lpt_next_sample=$((lpt_time + 100))
        fi
        if [ "$lpt_time" -ge "$lpt_end" ]; then
            lpt_status=timeout
            break
        fi
        sleep "$lpt_seconds"
    done
    [ "$lpt_status" = 0 ] && lpt_pending=0
    echo "@@sample $(($(lpt_now) - lpt_start)) ${lpt_pending:-0}"
    echo "@@seen $lpt_seen"
    echo "@@status $lpt_status"
    lpt_kernel_log "$lpt_arg_marker"
}

lpt_read_attributes() {
    for lpt_attribute in "$@"; do
        { read -r lpt_value < "$lpt_attribute"; } 2> /dev/null && echo "@@attr ${lpt_attribute##*/} $lpt_value"
    done
    return 0
}

# lpt_dump: loaded modules (newest first) and the patches (or the one named) with their objects and functions.
lpt_dump() {
    lpt_options "" "patch" "$@" || return
    while read -r lpt_name lpt_size lpt_refcnt lpt_rest; do
        echo "@@module $lpt_name $lpt_refcnt"
    done < "$R/proc/modules"
    for lpt_patch in "$KLP"/${lpt_arg_patch:-*}/; do
        [ -d "$lpt_patch" ] || continue
        lpt_patch="${lpt_patch%/}"
        echo "@@patch ${lpt_patch##*/}"
        lpt_read_attributes "$lpt_patch/enabled" "$lpt_patch/transition" "$lpt_patch/replace" "$lpt_patch/stack_order"
        for lpt_object in "$lpt_patch"/*/; do
            [ -d "$lpt_object" ] || continue
            lpt_object="${lpt_object%/}"
            echo "@@object ${lpt_object##*/}"
            lpt_read_attributes "$lpt_object/patched"
            for lpt_function in "$lpt_object"/*/; do
                [ -d "$lpt_function" ] || continue
                lpt_function="${lpt_function%/}"
                echo "@@function ${lpt_function##*/}"
            done
        done
    done
}

# lpt_blockers: the patch in transition, the tasks not yet in its target state (with their kernel stacks) and
# the kernel's reasons logged since the transition last started.
lpt_blockers() {
    lpt_target=
    for lpt_patch in "$KLP"/*/; do
        { read -r lpt_transition < "$lpt_patch/transition" && read -r lpt_enabled < "$lpt_patch/enabled"; } 2> /dev/null \
            || continue
        if [ "$lpt_transition" = 1 ]; then
            lpt_name="${lpt_patch%/}"
            lpt_name="${lpt_name##*/}"
            lpt_target="$lpt_enabled"
            echo "@@transition $lpt_name $lpt_target"
            break
        fi
    done
    [ -n "$lpt_target" ] || return 0
    for lpt_task in "$R"/proc/[0-9]*/task/[0-9]*; do
        { read -r lpt_state < "$lpt_task/patch_state" && read -r lpt_comm < "$lpt_task/comm"; } 2> /dev/null || continue
        [ "$lpt_state" = "$lpt_target" ] || [ "$lpt_state" = -1 ] && continue
        echo "@@task ${lpt_task##*/} $lpt_state $lpt_comm"
        while read -r lpt_frame; do
            echo "@@frame $lpt_frame"
        done < "$lpt_task/stack" 2> /dev/null
    done
    lpt_reasons=$(lpt_switch_reasons "$lpt_name")
    lpt_control="$R/sys/kernel/debug/dynamic_debug/control"
    if [ -z "$lpt_reasons" ] && [ "$TASKS" != + ] && [ -w "$lpt_control" ]; then
        # The kernel gives its reasons only in klp_try_switch_task's debug messages: on for its next retry (every
        # second), then off again.
        echo "func klp_try_switch_task +p" > "$lpt_control" 2> /dev/null
        lpt_end=$(($(lpt_now) + 1500))
        while [ -z "$lpt_reasons" ] && [ "$(lpt_now)" -lt "$lpt_end" ]; do
            sleep 0.05
            lpt_reasons=$(lpt_switch_reasons "$lpt_name")
        done
        echo "func klp_try_switch_task -p" > "$lpt_control" 2> /dev/null
    fi
    echo "@@kernel-log"
    [ -z "$lpt_reasons" ] || echo "$lpt_reasons"
}

# lpt_switch_reasons <patch>: the kernel's klp_try_switch_task messages since the patch's transition last started.
lpt_switch_reasons() {
    dmesg | M="livepatch: '$1': starting " awk '
        index($0, ENVIRON["M"]) { n = 0; next }
        /klp_try_switch_task: / { line[++n] = $0 }
        END { for (i = 1; i <= n; i++) print line[i] }'
}

# cat, not read: a sysctl file answers only the first read call, and the shell's read takes one byte per call.
lpt_taint() {
    echo "@@taint $(cat "$R/proc/sys/kernel/tainted")"
}

# lpt_await_refcnt: waits until the module's reference count reads count; "gone" once the module is unloaded.
lpt_await_refcnt() {
    lpt_options "module count limit interval" "" "$@" || return
    lpt_seconds "$lpt_arg_interval"
    lpt_end=$(($(lpt_now) + lpt_arg_limit))
    while :; do
        lpt_seen=gone
        { read -r lpt_seen < "$R/sys/module/$lpt_arg_module/refcnt"; } 2> /dev/null
        if [ "$lpt_seen" = "$lpt_arg_count" ]; then
            lpt_status=0
            break
        fi
        if [ "$(lpt_now)" -ge "$lpt_end" ]; then
            lpt_status=timeout
            break
        fi
        sleep "$lpt_seconds"
    done
    echo "@@seen $lpt_seen"
    echo "@@status $lpt_status"
}

lpt_refcnt() {
    lpt_options "module" "" "$@" || return
    { read -r lpt_refcnt < "$R/sys/module/$lpt_arg_module/refcnt"; } 2> /dev/null && echo "@@refcnt $lpt_refcnt"
    return 0
}

lpt_sysfs() {
    grep -r . "$KLP" 2> /dev/null
    return 0
}
