# shellcheck shell=bash disable=SC2034
# (SC2034: many variables here are read by run.sh and the scenario files)
# tests/lab/lib.sh - the lab's machinery, sourced by tests/lab/run.sh.
#
# Everything here runs as root but touches only what the lab creates:
#   - network namespaces named "$RUN_ID-*" (RUN_ID = sdlab<PID of run.sh>)
#   - /etc/netns/$RUN_ID-*/ (ip netns exec's per-namespace /etc overlay)
#   - a temp dir $RUN_TMP (mode 700)
#   - processes it starts itself (recorded with PID + start time in $LAB_PIDS)
# All iptables/nft commands run inside the lab's namespaces.

# ---------------------------------------------------------------- constants
SERVER_ADDR=192.0.2.1
SERVER_ADDR2=198.51.100.1
C1_ADDR=192.0.2.10
C2_ADDR=192.0.2.20
C3_ADDR=198.51.100.10
PORT=22
LAB_CLIENTS=(c1 c2 c3)
SYSTEM_SSHD=/usr/sbin/sshd
SYSTEM_SSH=/usr/bin/ssh
OPENSSH10_DIR="$REPO_ROOT/build/openssh10"

# -------------------------------------------------------------- small utils
lab_now() { printf '%s' "$EPOCHREALTIME"; }
lab_elapsed() { # START -> "1.23"
    local s=$1 e
    e=$EPOCHREALTIME
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'
}
lab_msg() { printf '%s\n' "$*"; }
lab_err() { printf 'lab: %s\n' "$*" >&2; }

# bounded poll: lab_wait_for SECONDS CMD... (every 50 ms)
lab_wait_for() {
    local secs=$1 i n
    shift
    n=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 20 }')
    for ((i = 0; i < n; i++)); do
        if "$@"; then return 0; fi
        sleep 0.05
    done
    "$@"
}

# Replace ${NAME} placeholders (a fixed list of lab variables) in $1.
# ${SSH_USER} and ${CLIENT_ADDR} are those of the check being evaluated.
lab_subst() {
    local s=$1 v
    for v in SERVER_ADDR SERVER_ADDR2 C1_ADDR C2_ADDR C3_ADDR PORT LAB_DIR \
        CLIENT_ADDR NS_SRV OPENSSH10_DIR; do
        s=${s//"\${$v}"/${!v-}}
    done
    # shellcheck disable=SC2016 # a literal ${SSH_USER} is what we replace
    s=${s//'${SSH_USER}'/${SSH_USER_NOW-}}
    printf '%s' "$s"
}

# ------------------------------------------------------- process bookkeeping
lab_pid_starttime() { # PID -> start time (clock ticks since boot), field 22
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    printf '%s' "${20}"
}
lab_pid_state() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    printf '%s' "${stat%% *}"
}
# alive = exists, same start time, not a zombie
lab_pid_alive() { # PID STARTTIME
    local st state
    st=$(lab_pid_starttime "$1") || return 1
    [[ "$st" == "$2" ]] || return 1
    state=$(lab_pid_state "$1") || return 1
    [[ "$state" != Z ]]
}
lab_register_pid() { # PID LABEL
    local st
    st=$(lab_pid_starttime "$1") || st=gone
    printf '%s %s %s %s\n' "$1" "$st" "${SCENARIO:-run}" "$2" >>"$LAB_PIDS"
}
# Start a command in the background, registered. NS may be "host".
# Sets LAB_BG_PID. Output goes to $LAB_DIR/LABEL.out.
lab_bg() { # LABEL NS CMD...
    local label=$1 ns=$2
    shift 2
    if [[ "$ns" == host ]]; then
        "$@" </dev/null >"$LAB_DIR/$label.out" 2>&1 &
    else
        ip netns exec "$ns" "$@" </dev/null >"$LAB_DIR/$label.out" 2>&1 &
    fi
    LAB_BG_PID=$!
    lab_register_pid "$LAB_BG_PID" "$label"
}
# Signal registered processes (all, or those of one scenario) that are alive.
lab_signal_registered() { # SIGNAL [SCENARIO]
    local sig=$1 only=${2:-} pid st scn label
    [[ -f "$LAB_PIDS" ]] || return 0
    while read -r pid st scn label; do
        [[ -n "$only" && "$scn" != "$only" ]] && continue
        if lab_pid_alive "$pid" "$st"; then kill "-$sig" "$pid" 2>/dev/null || true; fi
    done <"$LAB_PIDS"
}
lab_registered_alive() { # [SCENARIO] -> prints "pid label" of live ones
    local only=${1:-} pid st scn label
    [[ -f "$LAB_PIDS" ]] || return 0
    while read -r pid st scn label; do
        [[ -n "$only" && "$scn" != "$only" ]] && continue
        if lab_pid_alive "$pid" "$st"; then printf '%s %s/%s\n' "$pid" "$scn" "$label"; fi
    done <"$LAB_PIDS"
}
lab_reap() { # [SCENARIO]: wait for registered PIDs that are zombies
    local only=${1:-} pid st scn label
    [[ -f "$LAB_PIDS" ]] || return 0
    while read -r pid st scn label; do
        [[ -n "$only" && "$scn" != "$only" ]] && continue
        [[ "$(lab_pid_state "$pid" 2>/dev/null)" == Z ]] && { wait "$pid" 2>/dev/null || true; }
    done <"$LAB_PIDS"
    return 0
}
lab_our_namespaces() { ip netns list 2>/dev/null | awk -v p="$RUN_ID-" 'index($1, p) == 1 { print $1 }'; }
lab_ns_pids() { # all PIDs inside our namespaces
    local ns
    for ns in $(lab_our_namespaces); do ip netns pids "$ns" 2>/dev/null || true; done
}
lab_ns_pids_alive() {
    local p state
    for p in $(lab_ns_pids); do
        state=$(lab_pid_state "$p") || continue
        [[ "$state" == Z ]] || printf '%s\n' "$p"
    done
}

# Kill what we started and delete our namespaces. Idempotent, never fails.
# SCENARIO-scoped when $1 is given (registered PIDs of that scenario only);
# namespaces are always all of this run's (only one scenario runs at a time).
lab_kill_and_delete() {
    local only=${1:-} i p ns
    lab_signal_registered TERM "$only"
    for p in $(lab_ns_pids_alive); do kill -TERM "$p" 2>/dev/null || true; done
    for ((i = 0; i < 60; i++)); do
        [[ -z "$(lab_registered_alive "$only")" && -z "$(lab_ns_pids_alive)" ]] && break
        sleep 0.05
    done
    if [[ -n "$(lab_registered_alive "$only")" || -n "$(lab_ns_pids_alive)" ]]; then
        lab_signal_registered KILL "$only"
        for p in $(lab_ns_pids_alive); do kill -KILL "$p" 2>/dev/null || true; done
        for ((i = 0; i < 40; i++)); do
            [[ -z "$(lab_registered_alive "$only")" && -z "$(lab_ns_pids_alive)" ]] && break
            sleep 0.05
        done
    fi
    # reap our own children (they stay zombies until waited for)
    lab_reap "$only"
    for ns in $(lab_our_namespaces); do ip netns del "$ns" 2>/dev/null || true; done
    for ns in /etc/netns/"$RUN_ID"-*; do
        [[ -d "$ns" ]] && rm -rf -- "$ns"
    done
    return 0
}

# ------------------------------------------------------------------ network
ns_of() { # c1|c2|c3|srv -> namespace name
    case $1 in
    srv) printf '%s' "$NS_SRV" ;;
    c1 | c2 | c3) printf '%s-%s' "$RUN_ID" "$1" ;;
    *) lab_err "unknown namespace role '$1'"; return 1 ;;
    esac
}
addr_of() {
    case $1 in
    c1) printf '%s' "$C1_ADDR" ;;
    c2) printf '%s' "$C2_ADDR" ;;
    c3) printf '%s' "$C3_ADDR" ;;
    srv) printf '%s' "$SERVER_ADDR" ;;
    *) lab_err "unknown client '$1'"; return 1 ;;
    esac
}
srv_exec() { ip netns exec "$NS_SRV" "$@"; }
client_exec() { # cN CMD...
    local ns
    ns=$(ns_of "$1")
    shift
    ip netns exec "$ns" "$@"
}

# Per-namespace /etc overlay. resolv.conf points at 127.0.0.1 where nothing
# listens, so every DNS lookup (libwrap reverse-resolves the client) fails at
# once instead of timing out.
lab_write_etc() { # NS [hosts.allow hosts.deny]
    local ns=$1 d="/etc/netns/$1"
    mkdir -p "$d"
    printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$d/resolv.conf"
    {
        printf '127.0.0.1\tlocalhost\n'
        printf '127.0.1.1\t%s\n' "$(hostname)"
        printf '::1\t\tlocalhost ip6-localhost ip6-loopback\n'
    } >"$d/hosts"
    if [[ $# -ge 3 ]]; then
        printf '%s' "$2" >"$d/hosts.allow"
        printf '%s' "$3" >"$d/hosts.deny"
    fi
}

lab_net_up() {
    local c ns
    ip netns add "$NS_SRV"
    for c in "${LAB_CLIENTS[@]}"; do ip netns add "$(ns_of "$c")"; done
    ip -n "$NS_SRV" link set lo up
    ip -n "$NS_SRV" link add br0 type bridge
    ip -n "$NS_SRV" addr add "$SERVER_ADDR/24" dev br0
    ip -n "$NS_SRV" link set br0 up
    for c in c1 c2; do
        ns=$(ns_of "$c")
        ip -n "$ns" link set lo up
        ip -n "$NS_SRV" link add "v$c" type veth peer name eth0 netns "$ns"
        ip -n "$NS_SRV" link set "v$c" master br0 up
        ip -n "$ns" addr add "$(addr_of "$c")/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" route add default via "$SERVER_ADDR"
    done
    # c3: "another network", routed by the server namespace
    ns=$(ns_of c3)
    ip -n "$ns" link set lo up
    ip -n "$NS_SRV" link add vc3 type veth peer name eth0 netns "$ns"
    ip -n "$NS_SRV" addr add "$SERVER_ADDR2/24" dev vc3
    ip -n "$NS_SRV" link set vc3 up
    ip -n "$ns" addr add "$C3_ADDR/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$SERVER_ADDR2"
    lab_write_etc "$NS_SRV" "$HOSTS_ALLOW_TEXT" "$HOSTS_DENY_TEXT"
    for c in "${LAB_CLIENTS[@]}"; do lab_write_etc "$(ns_of "$c")"; done
}

# --------------------------------------------------------------------- sshd
lab_sshd_bin() { # 9.2|10.0 -> path
    case $1 in
    9.2) printf '%s' "$SYSTEM_SSHD" ;;
    10.0) printf '%s' "$OPENSSH10_DIR/usr/sbin/sshd" ;;
    *) return 1 ;;
    esac
}
lab_sshd_version() { # BIN -> "OpenSSH_9.2p1 Debian-2+deb12u10"
    local v
    v=$("$1" -V 2>&1 || true)
    v=${v%%,*}
    printf '%s' "$v"
}

# Write $LAB_DIR/sshd_config. Scenario lines (SSHD_CONFIG_EXTRA) go first so
# they win over the lab defaults (sshd keeps the first value of a keyword);
# a Match block in them is moved to the very end.
lab_write_sshd_config() {
    local extra pre="" match="" line in_match=0
    extra=$(lab_subst "$SSHD_CONFIG_EXTRA")
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ $in_match -eq 0 && "$line" =~ ^[[:space:]]*[Mm]atch[[:space:]] ]]; then in_match=1; fi
        if [[ $in_match -eq 1 ]]; then match+="$line"$'\n'; else pre+="$line"$'\n'; fi
    done <<<"$extra"
    {
        printf '# sshdiag lab: %s (OpenSSH %s)\n' "$SCENARIO" "$OPENSSH"
        printf '%s' "$pre"
        printf 'Port %s\n' "$PORT"
        printf 'ListenAddress %s\n' "$SERVER_ADDR"
        printf 'HostKey %s/ssh_host_ed25519_key\n' "$LAB_DIR"
        printf 'PidFile %s/sshd.pid\n' "$LAB_DIR"
        printf 'UsePAM no\n'
        printf 'PermitRootLogin prohibit-password\n'
        printf 'PasswordAuthentication no\n'
        printf 'KbdInteractiveAuthentication no\n'
        printf 'AuthorizedKeysFile none\n'
        printf 'SyslogFacility AUTH\n'
        if [[ "$OPENSSH" == 10.0 ]]; then
            printf 'SshdSessionPath %s/usr/lib/openssh/sshd-session\n' "$OPENSSH10_DIR"
            printf 'SshdAuthPath %s/usr/lib/openssh/sshd-auth\n' "$OPENSSH10_DIR"
        fi
        printf '%s' "$match"
    } >"$LAB_DIR/sshd_config"
}

lab_sshd_listening() {
    srv_exec ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .
}

# Start the log collector (syslog socket + stderr fifo -> auth.log).
lab_log_start() {
    mkfifo -m 600 "$LAB_DIR/daemon.stderr"
    : >"$LAB_DIR/auth.log"
    lab_bg tslog host python3 "$LAB_HOME/tslog.py" --socket "$LAB_DIR/devlog.sock" \
        --stdin-fifo "$LAB_DIR/daemon.stderr" --out "$LAB_DIR/auth.log" \
        --pid-file "$LAB_DIR/daemon.pid" --max-lifetime 900
    TSLOG_PID=$LAB_BG_PID
    lab_wait_for 5 grep -q '^ready' "$LAB_DIR/tslog.out" ||
        { lab_err "tslog did not start: $(cat "$LAB_DIR/tslog.out")"; return 1; }
}

lab_sshd_start() {
    local out v
    SSHD_BIN=$(lab_sshd_bin "$OPENSSH") || { lab_err "unknown OPENSSH=$OPENSSH"; return 1; }
    [[ -x "$SSHD_BIN" ]] || { lab_err "$SSHD_BIN missing"; return 1; }
    v=$(lab_sshd_version "$SSHD_BIN")
    [[ "$v" == "OpenSSH_${OPENSSH}"* ]] ||
        { lab_err "OPENSSH=$OPENSSH but $SSHD_BIN is '$v'"; return 1; }
    SSHD_VERSION=$v
    mkdir -p /run/sshd
    ssh-keygen -q -t ed25519 -N '' -C "sdlab-$SCENARIO" -f "$LAB_DIR/ssh_host_ed25519_key"
    chmod 600 "$LAB_DIR/ssh_host_ed25519_key"
    lab_write_sshd_config
    if ! out=$(srv_exec "$SSHD_BIN" -t -f "$LAB_DIR/sshd_config" 2>&1); then
        lab_err "sshd -t rejects the config: $out"
        return 1
    fi
    [[ -n "${TSLOG_PID:-}" ]] || lab_log_start
    mkdir -p "$LAB_DIR/devroot"
    local args=(-D -f "$LAB_DIR/sshd_config")
    [[ "$SSHD_LOG" == stderr ]] && args+=(-e)
    # stderr through the fifo to the timestamper; no stdout
    ip netns exec "$NS_SRV" "$LAB_HOME/with-devlog.sh" --pidfile "$LAB_DIR/daemon.pid" "$LAB_DIR/devroot" \
        "$LAB_DIR/devlog.sock" -- "$SSHD_BIN" "${args[@]}" \
        </dev/null >/dev/null 2>"$LAB_DIR/daemon.stderr" &
    SSHD_PID=$!
    lab_register_pid "$SSHD_PID" sshd
    if ! lab_wait_for 5 lab_sshd_up; then
        lab_err "sshd did not start listening; auth.log:"
        sed 's/^/    /' "$LAB_DIR/auth.log" >&2
        return 1
    fi
}
lab_sshd_up() {
    kill -0 "$SSHD_PID" 2>/dev/null || return 1
    lab_sshd_listening
}

# ----------------------------------------------------------- race pinning
# When sshd drops a connection right after accept() (MaxStartups,
# PerSourceMaxStartups, PerSourcePenalties, a failed sshd-session exec) the
# client prints "Connection closed" if sshd close()s before the client's
# version string arrives (FIN) and "Connection reset" if it arrives first
# (close() with unread data sends RST). Both happen in real life; this pins
# one of them with a rule in the server namespace:
#   late-data   drop the client's data segments: sshd always closes first (FIN)
#   early-data  drop the client's pure ACKs: the handshake completes with the
#               data segment, so it is already queued at accept() (RST)
# The rule lives in its own chain LABPIN and is removed (lab_pin_clear) right
# after the client run, so LAB_AFTER tools never see it.
lab_pin_race() { # MODE CLIENT
    local mode=$1 addr
    addr=$(addr_of "$2")
    [[ "$mode" == none ]] && return 0
    srv_exec iptables -w -N LABPIN
    srv_exec iptables -w -I INPUT 1 -j LABPIN
    case $mode in
    late-data)
        srv_exec iptables -w -A LABPIN -p tcp -s "$addr" --dport "$PORT" \
            -m conntrack --ctstate ESTABLISHED -m length ! --length 0:60 -j DROP ;;
    early-data)
        srv_exec iptables -w -A LABPIN -p tcp -s "$addr" --dport "$PORT" \
            -m conntrack --ctstate ESTABLISHED --tcp-flags SYN,ACK,FIN,RST,PSH ACK \
            -m length --length 0:60 -j DROP ;;
    *) lab_err "lab_pin_race: unknown mode $mode"; return 1 ;;
    esac
}
lab_pin_clear() {
    if srv_exec iptables -w -n -L LABPIN >/dev/null 2>&1; then
        srv_exec iptables -w -D INPUT -j LABPIN
        srv_exec iptables -w -F LABPIN
        srv_exec iptables -w -X LABPIN
    fi
}

# ------------------------------------------------------------------ client
# Run the real client once. Sets CL_RC, CL_LAST, CL_STDERR (text), CL_TIME.
lab_ssh() { # CLIENT [CONNECT_TIMEOUT] [USER] [TAG]
    local c=$1 ct=${2:-10} user=${3:-labuser} tag=${4:-ssh} ns start errf
    ns=$(ns_of "$c")
    errf="$LAB_DIR/client-$tag.stderr"
    start=$(lab_now)
    set +e
    timeout --foreground -k 2 "$((ct + 20))" \
        ip netns exec "$ns" env -u SSH_AUTH_SOCK LC_ALL=C \
        "$SYSTEM_SSH" -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o "ConnectTimeout=$ct" -p "$PORT" \
        "$user@$SERVER_ADDR" true </dev/null >"$LAB_DIR/client-$tag.stdout" 2>"$errf"
    CL_RC=$?
    set -e
    CL_TIME=$(lab_elapsed "$start")
    CL_STDERR=$(tr -d '\r' <"$errf" | sed '/^[[:space:]]*$/d')
    CL_LAST=$(printf '%s\n' "$CL_STDERR" | tail -n 1)
}

# ------------------------------------------------------------------ results
lab_result() { # ok|FAIL LABEL DETAIL...
    local st=$1 label=$2
    shift 2
    printf '%s\t%s\n' "$st" "$label" >>"$LAB_RESULTS_FILE"
    if [[ "$st" == ok ]]; then
        printf 'ok   %s: %s\n' "$label" "$*"
    else
        printf 'FAIL %s: %s\n' "$label" "$*"
    fi
}
