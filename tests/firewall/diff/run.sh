#!/bin/bash
# tests/firewall/diff/run.sh — the firewall evaluator against real netfilter.
#
#   run.sh --predict PATH [--min-cases N] [--cases MAX] [--seed S] [--budget SECONDS]
#          [--keep DIR]
#
# Rulesets are tried until at least N client cases (default 2000) have been compared, at most
# MAX rulesets (default 60), and no new ruleset starts after SECONDS (default 150; the CI
# budget is about 3 minutes).  For each random ruleset (gen.py): load it into a server namespace (iptables-nft or
# iptables-legacy, ip6tables, ipset, nft), capture what sshdiag would read in live mode
# (iptables-save, ip6tables-save, the -legacy twins, ipset save, nft -j list ruleset), try
# every client (many source addresses in one client namespace, IPv4 and IPv6, ports 22 and
# 2222, non-blocking connects with short timeouts, all at once), ask the evaluator (the
# fw-predict tool, linked against the pure core) for the same clients, and compare what the
# client saw: connects, refused, timeout, no_route, net_unreach, proto, perm, reset, hang.
#
# Needs root, iptables (nft and legacy), nftables, ipset, python3.  Touches only namespaces
# named sdfw<PID>-*, processes it starts, and its temp directory; cleans up on any exit.
# Ends with "firewall-diff: N passed, N failed" (N counts client cases); exit 1 on failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CASES=60
MIN_CASES=2000
BUDGET=150
SEED=$RANDOM
PREDICT=${FW_PREDICT:-}
KEEP=
while [[ $# -gt 0 ]]; do
    case $1 in
    --cases) CASES=$2; shift 2 ;;
    --min-cases) MIN_CASES=$2; shift 2 ;;
    --budget) BUDGET=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --predict) PREDICT=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    *) echo "usage: $0 --predict PATH [--min-cases N] [--cases MAX] [--seed S] [--budget S] [--keep DIR]" >&2; exit 2 ;;
    esac
done
[[ -x "$PREDICT" ]] || { echo "fw-diff: --predict PATH (the fw-predict tool) is required" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "fw-diff: needs root (network namespaces)"; echo "firewall-diff: 0 passed, 0 failed"; exit 2; }

ID=sdfw$$
SRV=$ID-srv
CLI=$ID-cli
TMP=$(mktemp -d /tmp/sdfw-diff.XXXXXX)
SERVER_PID=
cleanup() {
    local ns p
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    # anything still running in our namespaces is ours
    for ns in "$SRV" "$CLI"; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
    done
    ip netns del "$SRV" 2>/dev/null
    ip netns del "$CLI" 2>/dev/null
    if [[ -n "$KEEP" ]]; then mkdir -p "$KEEP" && cp -r "$TMP"/. "$KEEP"/; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

S() { ip netns exec "$SRV" "$@"; }

# ---------------------------------------------------------------- network
ip netns add "$SRV"
ip netns add "$CLI"
ip -n "$SRV" link set lo up
ip -n "$CLI" link set lo up
ip -n "$SRV" link add vc type veth peer name eth0 netns "$CLI"
ip -n "$SRV" addr add 10.50.255.1/16 dev vc
ip -n "$SRV" addr add 172.20.9.254/24 dev vc
ip -n "$SRV" -6 addr add fd50::ff/64 dev vc nodad
ip -n "$SRV" link set vc up
{
    for x in 0 1 2 3; do for y in $(seq 1 50); do echo "addr add 10.50.$x.$y/16 dev eth0"; done; done
    for y in $(seq 1 40); do echo "addr add 172.20.9.$y/24 dev eth0"; done
    for x in 1 2; do for y in $(seq 1 20); do echo "addr add fd50::$x:$(printf %x "$y")/64 dev eth0 nodad"; done; done
} >"$TMP/addrs.batch"
ip -n "$CLI" -batch "$TMP/addrs.batch"
ip -n "$CLI" link set eth0 up
# IPv6 neighbour discovery is ICMPv6, which random rules may drop: pin the neighbours
SMAC=$(ip -n "$SRV" -o link show vc | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
CMAC=$(ip -n "$CLI" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
ip -n "$CLI" -6 neigh replace fd50::ff lladdr "$SMAC" dev eth0 nud permanent
{
    for x in 1 2; do for y in $(seq 1 20); do
        echo "neigh replace fd50::$x:$(printf %x "$y") lladdr $CMAC dev vc nud permanent"
    done; done
} >"$TMP/neigh.batch"
ip -n "$SRV" -6 -batch "$TMP/neigh.batch"
# REJECT answers must not be rate limited: one ICMP per refused client
for k in net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 \
    net.ipv4.icmp_msgs_burst=1000000; do
    S sysctl -qw "$k"
done

# (not through S(): $! must be the server itself, which ip netns exec becomes)
ip netns exec "$SRV" python3 "$HERE/server.py" --port 22 --port 2222 --ready "$TMP/ready" \
    --max-lifetime 900 >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -f "$TMP/ready" ]] && break; sleep 0.05; done
[[ -f "$TMP/ready" ]] || { echo "fw-diff: the banner server did not start"; cat "$TMP/server.log"; exit 1; }

# ------------------------------------------------------------------ cases
flush_all() {
    S nft flush ruleset 2>/dev/null
    local t c
    for t in filter nat mangle raw security; do
        for c in iptables-legacy ip6tables-legacy; do
            S "$c" -t "$t" -F 2>/dev/null
            S "$c" -t "$t" -X 2>/dev/null
        done
    done
    for c in INPUT FORWARD OUTPUT; do
        S iptables-legacy -P "$c" ACCEPT 2>/dev/null
        S ip6tables-legacy -P "$c" ACCEPT 2>/dev/null
    done
    S ipset destroy 2>/dev/null
}

load_case() { # DIR
    local d=$1 b
    [[ -s "$d/ipset.rules" ]] && { S ipset restore <"$d/ipset.rules" || return 1; }
    if [[ -f "$d/ipt4.rules" ]]; then
        b=$(cat "$d/ipt4.backend")
        S "iptables-$b-restore" <"$d/ipt4.rules" || return 1
        [[ -f "$d/ipt6.rules" ]] && { S "ip6tables-$b-restore" <"$d/ipt6.rules" || return 1; }
    fi
    [[ -f "$d/legacy4.rules" ]] && { S iptables-legacy-restore --noflush <"$d/legacy4.rules" || return 1; }
    [[ -f "$d/nft.rules" ]] && { S nft -f "$d/nft.rules" || return 1; }
    return 0
}

capture() { # DIR: what sshdiag's live mode reads
    local d=$1/cap
    mkdir -p "$d"
    S iptables-save >"$d/iptables-save" 2>/dev/null
    S ip6tables-save >"$d/ip6tables-save" 2>/dev/null
    S iptables-legacy-save >"$d/iptables-legacy-save" 2>/dev/null
    S ip6tables-legacy-save >"$d/ip6tables-legacy-save" 2>/dev/null
    S ipset save >"$d/ipset-save" 2>/dev/null
    S nft -j list ruleset >"$d/nft.json" 2>/dev/null
}

passed=0
failed=0
load_errors=0
start=$EPOCHREALTIME
rulesets=0
for ((i = 0; i < CASES; i++)); do
    [[ $((passed + failed)) -ge $MIN_CASES ]] && break
    if awk -v s="$start" -v e="$EPOCHREALTIME" -v b="$BUDGET" 'BEGIN { exit !(e - s > b) }'; then
        echo "fw-diff: time budget ($BUDGET s) used up after $rulesets rulesets"
        break
    fi
    rulesets=$((rulesets + 1))
    d="$TMP/case$i"
    flush_all
    python3 "$HERE/gen.py" --seed "$((SEED + i))" --out "$d" || { echo "fw-diff: gen.py failed"; exit 1; }
    if ! load_case "$d" >"$d/load.log" 2>&1; then
        load_errors=$((load_errors + 1))
        echo "fw-diff: case $i (seed $((SEED + i))) did not load:"; sed 's/^/    /' "$d/load.log" | head -5
        continue
    fi
    capture "$d"
    awk '{ print $1, $2, $3 }' "$d/clients.txt" |
        ip netns exec "$CLI" python3 "$HERE/probe.py" --connect-timeout 1.2 --banner-timeout 1.2 \
            >"$d/observed.txt" 2>"$d/probe.err" || { echo "fw-diff: probe failed on case $i:"; tail -3 "$d/probe.err"; }
    "$PREDICT" --iptables "$d/cap/iptables-save" --ip6tables "$d/cap/ip6tables-save" \
        --iptables-legacy "$d/cap/iptables-legacy-save" \
        --ip6tables-legacy "$d/cap/ip6tables-legacy-save" --ipset "$d/cap/ipset-save" \
        --nft-json "$d/cap/nft.json" --iif vc --iif-addr 10.50.255.1 --iif-addr fd50::ff \
        <"$d/clients.txt" >"$d/predicted.txt" 2>"$d/predict.err" ||
        { echo "fw-diff: fw-predict failed on case $i:"; head -5 "$d/predict.err"; }
    # compare: observed "SRC DST PORT OUTCOME", predicted "SRC DST PORT SEES CERTAINTY"
    read -r p f < <(paste -d' ' "$d/observed.txt" "$d/predicted.txt" | awk -v seed=$((SEED + i)) '
        { ok = ($1 == $5 && $2 == $6 && $3 == $7 && $4 == $8 && $9 == "certain") }
        ok { p++ } !ok { f++; printf "MISMATCH seed %s: %s -> %s:%s real %s, predicted %s (%s)\n", seed, $1, $2, $3, $4, $8, $9 > "/dev/stderr" }
        END { print p + 0, f + 0 }')
    passed=$((passed + p))
    failed=$((failed + f))
    if [[ $f -gt 0 && -n "$KEEP" ]]; then echo "fw-diff: case $i kept in $KEEP/case$i"; fi
done
flush_all
elapsed=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
echo "fw-diff: $rulesets rulesets (seed $SEED), $load_errors did not load, ${elapsed} s"
[[ $((passed + failed)) -ge $MIN_CASES ]] || echo "fw-diff: only $((passed + failed)) cases, fewer than $MIN_CASES"
echo "firewall-diff: $passed passed, $failed failed"
[[ $failed -eq 0 && $load_errors -eq 0 && $((passed + failed)) -ge $MIN_CASES ]]
