#!/usr/bin/env bash
# sshdiag lab: reproduce pre-authentication SSH failures with the real
# software in throw-away network namespaces and record what the real `ssh`
# client prints. See tests/lab/README.md.
#
# usage: tests/lab/run.sh [--only NAME[,NAME...]] [--repeat N] [--list]
#
#   --only    scenario names: "03-hosts-allow-except", "hosts-allow-except"
#             or "03" (comma separated, option may be repeated)
#   --repeat  run the selected scenarios N times (default 1)
#   --list    list the scenarios and exit
#
# environment:
#   LAB_AFTER=CMD        run `bash -c CMD` after each client check, before
#                        teardown (see README for the LAB_* variables it gets);
#                        its exit status does not count
#   LAB_AFTER_TIMEOUT=S  bound for LAB_AFTER (default 300)
#   LAB_KEEP_LOGS=DIR    copy each scenario's auth.log to DIR/NAME.log (and
#                        fail2ban's log to DIR/NAME.fail2ban.log)
#   LAB_RESULTS=FILE     append one TSV line per check (observed results)
#   LAB_KEEP_TMP=1       keep the per-run temp dir (debugging)
#
# Needs root. Exit status 0 only if every check (and the cleanup check) passed.
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_HOME/../.." && pwd)
# shellcheck source=tests/lab/lib.sh
. "$LAB_HOME/lib.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

ONLY=()
REPEAT=1
LIST=0
while [[ $# -gt 0 ]]; do
    case $1 in
    --only) [[ $# -ge 2 ]] || { usage >&2; exit 2; }
        IFS=, read -r -a _o <<<"$2"; ONLY+=("${_o[@]}"); shift 2 ;;
    --only=*) IFS=, read -r -a _o <<<"${1#--only=}"; ONLY+=("${_o[@]}"); shift ;;
    --repeat) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }
        REPEAT=$2; shift 2 ;;
    --repeat=*) REPEAT=${1#--repeat=}; [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; shift ;;
    --list) LIST=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

# ------------------------------------------------------------ scenario list
mapfile -t ALL_SCN < <(find "$LAB_HOME/scenarios" -maxdepth 1 -name '*.scn' | sort)
[[ ${#ALL_SCN[@]} -gt 0 ]] || { lab_err "no scenarios in $LAB_HOME/scenarios"; exit 2; }
SELECTED=()
if [[ ${#ONLY[@]} -eq 0 ]]; then
    SELECTED=("${ALL_SCN[@]}")
else
    for tok in "${ONLY[@]}"; do
        [[ -n "$tok" ]] || continue
        hit=0
        for f in "${ALL_SCN[@]}"; do
            b=$(basename "$f" .scn)
            if [[ "$tok" == "$b" || "$tok" == "${b#[0-9][0-9]-}" || "$tok" == "${b%%-*}" ]]; then
                SELECTED+=("$f"); hit=1
            fi
        done
        [[ $hit -eq 1 ]] || { lab_err "no scenario matches '$tok' (try --list)"; exit 2; }
    done
fi

if [[ $LIST -eq 1 ]]; then
    for f in "${ALL_SCN[@]}"; do
        d=$(sed -n 's/^DESCRIPTION=["'\'']\(.*\)["'\'']$/\1/p' "$f" | head -n1)
        v=$(sed -n 's/^OPENSSH=\([^ ]*\).*/\1/p' "$f" | head -n1)
        printf '%-32s %-5s %s\n' "$(basename "$f" .scn)" "${v:-9.2}" "$d"
    done
    exit 0
fi

# ------------------------------------------------------------ prerequisites
[[ $EUID -eq 0 ]] || { lab_err "needs root (network namespaces, iptables)"; exit 2; }
missing=()
for cmd in ip ss iptables nft ssh-keygen python3 timeout awk mkfifo hostname \
    fail2ban-server fail2ban-client "$SYSTEM_SSHD" "$SYSTEM_SSH"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
[[ ${#missing[@]} -eq 0 ]] || { lab_err "missing: ${missing[*]} (run the project's dependency script)"; exit 2; }
# ip netns exec only overlays /etc files that exist in the real /etc.
for f in /etc/hosts.allow /etc/hosts.deny /etc/resolv.conf /etc/hosts; do
    [[ -e "$f" ]] || {
        lab_err "$f does not exist; the per-namespace overlay (/etc/netns/NS/${f#/etc/}) needs it (hosts.allow/deny come with libwrap0)"
        exit 2
    }
done
if grep -q '^OPENSSH=10' "${SELECTED[@]}"; then
    "$REPO_ROOT/scripts/fetch-openssh10.sh" || { lab_err "cannot fetch OpenSSH 10"; exit 2; }
fi

# ------------------------------------------------------------- run state
RUN_ID="sdlab$$"
# ip netns exec's overlay lives under /etc/netns; remove that dir at the end
# if this run created it (and it is empty then).
ETC_NETNS_CREATED=0
[[ -d /etc/netns ]] || ETC_NETNS_CREATED=1
RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$RUN_ID.XXXXXX")
chmod 700 "$RUN_TMP"
LAB_PIDS="$RUN_TMP/pids"
LAB_RESULTS_FILE="$RUN_TMP/results"
LAB_OBSERVED="$RUN_TMP/observed.tsv"
: >"$LAB_PIDS"
: >"$LAB_RESULTS_FILE"
: >"$LAB_OBSERVED"
NS_SRV="$RUN_ID-srv"
CHILD=""
FINISHED=0
RUN_START=$(lab_now)

lab_cleanup_check() {
    local left_ns left_etc left_pids total
    left_ns=$(lab_our_namespaces | tr '\n' ' ')
    left_etc=$(compgen -G "/etc/netns/$RUN_ID-*" | tr '\n' ' ' || true)
    left_pids=$(lab_registered_alive | tr '\n' ' ')
    total=$(wc -l <"$LAB_PIDS")
    if [[ -z "$left_ns$left_etc$left_pids" ]]; then
        lab_result ok cleanup "no $RUN_ID-* namespace, no /etc/netns/$RUN_ID-*, 0 of $total started processes alive"
    else
        lab_result FAIL cleanup "left behind: namespaces [${left_ns% }] /etc/netns [${left_etc% }] processes [${left_pids% }]"
    fi
}

on_exit() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [[ -n "$CHILD" ]]; then kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
    lab_kill_and_delete
    [[ $ETC_NETNS_CREATED -eq 1 ]] && rmdir /etc/netns 2>/dev/null
    if [[ $FINISHED -eq 0 ]]; then
        lab_cleanup_check
        printf 'lab: interrupted\n'
        printf 'lab: %s passed, %s failed\n' "$(grep -c '^ok' "$LAB_RESULTS_FILE")" \
            "$(grep -c '^FAIL' "$LAB_RESULTS_FILE")"
    fi
    if [[ -n "${LAB_KEEP_TMP:-}" ]]; then
        lab_msg "lab: temp dir kept: $RUN_TMP"
    else
        rm -rf -- "$RUN_TMP"
    fi
    exit "$rc"
}
on_signal() {
    local p
    trap - INT TERM
    if [[ -n "$CHILD" ]]; then
        kill -TERM "$CHILD" 2>/dev/null || true
        # end a client run in progress so the scenario's teardown runs now
        for p in $(lab_ns_pids_alive); do kill -TERM "$p" 2>/dev/null || true; done
        wait "$CHILD" 2>/dev/null || true
        CHILD=""
    fi
    exit 130
}
trap on_exit EXIT
trap on_signal INT TERM

# ------------------------------------------------------------ one scenario
lab_at() { # ARRAYNAME INDEX -> element INDEX, else element 0, else ""
    local -n _arr=$1
    if [[ -v "_arr[$2]" ]]; then
        printf '%s' "${_arr[$2]}"
    elif [[ -v "_arr[0]" ]]; then
        printf '%s' "${_arr[0]}"
    fi
}

# shellcheck disable=SC2034 # scenario fields are read through lab_at / lib.sh
run_scenario() { # FILE REP
    local f=$1 rep=$2
    SCENARIO=$(basename "$f" .scn)
    LAB_DIR="$RUN_TMP/$SCENARIO"
    [[ $REPEAT -gt 1 ]] && LAB_DIR+=".$rep"
    mkdir -m 700 "$LAB_DIR"
    CHECKS_DONE=0
    NCHECKS=0
    TSLOG_PID=""
    SSHD_BIN=""
    SSHD_PID=""
    SSHD_VERSION=""

    # scenario fields (defaults); arrays broadcast element 0
    DESCRIPTION=""
    OPENSSH=9.2
    SSHD_LOG=syslog
    SSHD_CONFIG_EXTRA=""
    HOSTS_ALLOW=""
    HOSTS_DENY=""
    CLIENT=(c1)
    CHECK_NAME=()
    SSH_USER=(labuser)
    CONNECT_TIMEOUT=(10)
    PIN_RACE=()
    EXPECT_EXIT=(255)
    EXPECT_LAST_LINE=()
    EXPECT_STDERR=()
    EXPECT_LOG=()
    EXPECT_SECONDS=()
    unset -f scenario_setup scenario_before_client scenario_after_client scenario_teardown

    trap 'scenario_exit' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT

    # shellcheck disable=SC1090
    . "$f"

    local hdr hdd
    hdr='# /etc/hosts.allow: list of hosts that are allowed to access the system.
#                   See the manual pages hosts_access(5) and hosts_options(5).
'
    hdd='# /etc/hosts.deny: list of hosts that are _not_ allowed to access the system.
#                  See the manual pages hosts_access(5) and hosts_options(5).
'
    HOSTS_ALLOW_TEXT="$hdr$(lab_subst "$HOSTS_ALLOW")"$'\n'
    HOSTS_DENY_TEXT="$hdd$(lab_subst "$HOSTS_DENY")"$'\n'

    NCHECKS=${#CLIENT[@]}
    local a
    for a in CHECK_NAME EXPECT_LAST_LINE; do
        local -n _x=$a
        [[ ${#_x[@]} -gt $NCHECKS ]] && NCHECKS=${#_x[@]}
        unset -n _x
    done

    if [[ ${#EXPECT_LAST_LINE[@]} -eq 0 ]]; then
        lab_err "$SCENARIO: EXPECT_LAST_LINE is missing"
        return 1
    fi

    lab_net_up
    if declare -F scenario_setup >/dev/null; then scenario_setup; fi
    if [[ "$OPENSSH" != none ]]; then
        lab_sshd_start
    fi

    local i c name label ct user pin exp_exit exp_last exp_err exp_log exp_sec
    local ok detail why
    for ((i = 0; i < NCHECKS; i++)); do
        c=$(lab_at CLIENT "$i")
        name=$(lab_at CHECK_NAME "$i")
        [[ -n "$name" && -v "CHECK_NAME[$i]" ]] || name=$c
        label="$SCENARIO/$name"
        ct=$(lab_at CONNECT_TIMEOUT "$i")
        user=$(lab_at SSH_USER "$i")
        CLIENT_ADDR=$(addr_of "$c")
        SSH_USER_NOW=$user
        if declare -F scenario_before_client >/dev/null; then scenario_before_client "$i" "$name"; fi
        pin=$(lab_at PIN_RACE "$i")
        lab_pin_race "${pin:-none}" "$c"

        lab_ssh "$c" "$ct" "$user" "$i"
        [[ "${pin:-none}" == none ]] || lab_pin_clear

        exp_exit=$(lab_at EXPECT_EXIT "$i")
        exp_last=$(lab_subst "$(lab_at EXPECT_LAST_LINE "$i")")
        exp_err=$(lab_subst "$(lab_at EXPECT_STDERR "$i")")
        exp_log=$(lab_subst "$(lab_at EXPECT_LOG "$i")")
        exp_sec=$(lab_at EXPECT_SECONDS "$i")
        ok=1
        why=()
        if [[ "$CL_RC" != "$exp_exit" ]]; then ok=0; why+=("exit: expected $exp_exit, got $CL_RC"); fi
        if [[ "$CL_LAST" != "$exp_last" ]]; then ok=0; why+=("last line: expected \"$exp_last\", got \"$CL_LAST\""); fi
        if [[ -n "$exp_err" && "$CL_STDERR" != "$exp_err" ]]; then
            ok=0
            why+=("stderr: expected [${exp_err//$'\n'/|}], got [${CL_STDERR//$'\n'/|}]")
        fi
        if [[ -n "$exp_sec" ]]; then
            if ! awk -v t="$CL_TIME" -v r="$exp_sec" 'BEGIN { split(r, a, "-"); exit !(t >= a[1] && t <= a[2]) }'; then
                ok=0; why+=("time: expected ${exp_sec} s, got $CL_TIME s")
            fi
        fi
        if [[ -n "$exp_log" ]] && ! lab_wait_for 3 grep -Eq -- "$exp_log" "$LAB_DIR/auth.log"; then
            ok=0; why+=("auth.log: no line matches /$exp_log/")
        fi
        detail="\"$CL_LAST\" ($CL_TIME s)"
        if [[ $ok -eq 1 ]]; then
            lab_result ok "$label" "$detail"
        else
            lab_result FAIL "$label" "$detail"
            local w
            for w in "${why[@]}"; do printf '       %s\n' "$w"; done
            printf '       client stderr:\n'
            printf '%s\n' "$CL_STDERR" | sed 's/^/         | /'
            if [[ -s "$LAB_DIR/auth.log" ]]; then
                printf '       auth.log (last 15 lines):\n'
                tail -n 15 "$LAB_DIR/auth.log" | sed 's/^/         | /'
            fi
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SCENARIO" "$name" "$OPENSSH" \
            "${SSHD_VERSION:--}" "$CL_RC" "$CL_LAST" "${CL_STDERR//$'\n'/\\n}" "$CL_TIME" >>"$LAB_OBSERVED"
        CHECKS_DONE=$((CHECKS_DONE + 1))

        if [[ -n "${LAB_AFTER:-}" ]]; then
            local arc=0
            (
                export LAB_SRV_NS="$NS_SRV" LAB_CLIENT_NS LAB_SERVER_ADDR="$SERVER_ADDR" \
                    LAB_CLIENT_ADDR="$CLIENT_ADDR" LAB_PORT="$PORT" LAB_DIR \
                    LAB_SCENARIO="$SCENARIO" LAB_CHECK="$name" LAB_CLIENT="$c" \
                    LAB_CLIENT_LAST_LINE="$CL_LAST" LAB_CLIENT_EXIT="$CL_RC" \
                    LAB_CLIENT_STDERR="$LAB_DIR/client-$i.stderr" \
                    LAB_SSHD_BIN="$SSHD_BIN" LAB_OPENSSH="$OPENSSH" \
                    LAB_AUTH_LOG="$LAB_DIR/auth.log"
                LAB_CLIENT_NS=$(ns_of "$c")
                timeout --foreground -k 5 "${LAB_AFTER_TIMEOUT:-300}" bash -c "$LAB_AFTER" </dev/null
            ) || arc=$?
            [[ $arc -eq 0 ]] || printf '     (LAB_AFTER exited %s; not counted)\n' "$arc"
        fi
        if declare -F scenario_after_client >/dev/null; then scenario_after_client "$i" "$name"; fi
    done
}

scenario_exit() {
    local rc=$?
    set +e
    trap - EXIT TERM INT
    if declare -F scenario_teardown >/dev/null; then scenario_teardown; fi
    if [[ $rc -ne 0 || $CHECKS_DONE -lt $NCHECKS ]]; then
        lab_result FAIL "$SCENARIO/setup" "aborted (status $rc) after $CHECKS_DONE of $NCHECKS checks"
        [[ -s "$LAB_DIR/auth.log" ]] && tail -n 10 "$LAB_DIR/auth.log" | sed 's/^/         | /'
        [[ $rc -eq 0 ]] && rc=1
    fi
    if [[ -n "${LAB_KEEP_LOGS:-}" ]]; then
        mkdir -p "$LAB_KEEP_LOGS"
        [[ -f "$LAB_DIR/auth.log" ]] && cp "$LAB_DIR/auth.log" "$LAB_KEEP_LOGS/$SCENARIO.log"
        [[ -f "$LAB_DIR/fail2ban.log" ]] && cp "$LAB_DIR/fail2ban.log" "$LAB_KEEP_LOGS/$SCENARIO.fail2ban.log"
    fi
    lab_kill_and_delete "$SCENARIO"
    if [[ -n "$(lab_our_namespaces)" || -n "$(lab_registered_alive "$SCENARIO")" ]]; then
        lab_err "$SCENARIO: teardown left something behind (see cleanup check)"
    fi
    [[ -n "${LAB_KEEP_TMP:-}" ]] || rm -rf -- "$LAB_DIR"
    exit "$rc"
}

# ------------------------------------------------------------------- main
lab_msg "lab: run $RUN_ID, ${#SELECTED[@]} scenario(s) x $REPEAT"
pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || printf '?'; }
lab_msg "lab: client $SYSTEM_SSH: $(lab_sshd_version "$SYSTEM_SSH") (openssh-client $(pkgver openssh-client))"
lab_msg "lab: sshd 9.2  $SYSTEM_SSHD: $(lab_sshd_version "$SYSTEM_SSHD") (openssh-server $(pkgver openssh-server))"
if [[ -x "$OPENSSH10_DIR/usr/sbin/sshd" ]]; then
    lab_msg "lab: sshd 10.0 ${OPENSSH10_DIR#"$REPO_ROOT"/}/usr/sbin/sshd: $(lab_sshd_version "$OPENSSH10_DIR/usr/sbin/sshd") (openssh-server $(cat "$OPENSSH10_DIR/VERSION" 2>/dev/null || printf '?'))"
fi
lab_msg "lab: fail2ban $(pkgver fail2ban), libwrap0 $(pkgver libwrap0)"

for ((rep = 1; rep <= REPEAT; rep++)); do
    [[ $REPEAT -gt 1 ]] && lab_msg "lab: --- round $rep of $REPEAT ---"
    for f in "${SELECTED[@]}"; do
        (run_scenario "$f" "$rep") &
        CHILD=$!
        wait "$CHILD" || true
        CHILD=""
    done
done

lab_kill_and_delete
lab_cleanup_check
FINISHED=1
if [[ -n "${LAB_RESULTS:-}" ]]; then cat "$LAB_OBSERVED" >>"$LAB_RESULTS"; fi
passed=$(grep -c '^ok' "$LAB_RESULTS_FILE" || true)
failed=$(grep -c '^FAIL' "$LAB_RESULTS_FILE" || true)
lab_msg "lab: total $(lab_elapsed "$RUN_START") s"
lab_msg "lab: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
