# Helpers for fake modules: a fake .ko is a shell script that the fake insmod sources with the module
# parameters as "$@". They change the fake tree under $R the way the kernel would.

kmsg() {
    echo "$1" >> "$R/dev/kmsg"
}

fake_module() {
    mkdir -p "$R/sys/module/$1"
    echo "${2:-0}" > "$R/sys/module/$1/refcnt"
    { echo "$1 16384 ${2:-0} - Live 0x0000000000000000 (OE)"; cat "$R/proc/modules"; } > "$R/proc/modules.new"
    mv "$R/proc/modules.new" "$R/proc/modules"
}

# fake_livepatch <name> <transition> <object> [<function,sympos>...]
fake_livepatch() {
    lp_dir="$R/sys/kernel/livepatch/$1"
    mkdir -p "$lp_dir/$3"
    echo 1 > "$lp_dir/enabled"
    echo "$2" > "$lp_dir/transition"
    : > "$lp_dir/force"
    echo 1 > "$lp_dir/$3/patched"
    lp_name="$1" lp_object="$3"
    shift 3
    for lp_function in "$@"; do
        mkdir -p "$lp_dir/$lp_object/$lp_function"
    done
    fake_module "$lp_name" 1
    kmsg "livepatch: enabling patch '$lp_name'"
    kmsg "livepatch: '$lp_name': initializing patching transition"
    kmsg "livepatch: '$lp_name': starting patching transition"
}

# later <seconds> <command...>: runs the command in the background, as the kernel finishing a transition would.
later() {
    lp_delay="$1"
    shift
    (sleep "$lp_delay" && "$@") > /dev/null 2>&1 &
}

fail() {
    echo "insmod: ERROR: could not insert module $ko: $1" >&2
    exit 1
}
