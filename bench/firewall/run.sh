#!/bin/bash
# bench/firewall/run.sh — the firewall layer against the tools that parse the same inputs.
#
#   run.sh --fwbench PATH [--repeat N] [--small]
#
# Inputs (gen.py): an iptables-save file of 100,000 and of 1,000,000 rules (fail2ban without
# ipset: one chain of per-address REJECTs), a 1,000,000-member hash:net ipset, an nft ruleset
# of 100,000 rules (nft text for nft -c -f; the JSON sshdiag reads is what `nft -j list
# ruleset` prints once it is loaded in a scratch namespace).  Peers, each in a scratch network
# namespace (sdfw<PID>-bench): iptables-nft-restore --test, iptables-legacy-restore --test,
# ipset restore, nft -c -f.  Ours: fwbench (parse + link + the decision for two clients),
# best of N.  Goals: ours <= 0.25 x the fastest peer, <= 1 s for the 1,000,000-rule file,
# peak RSS <= 256 MiB.  --small divides every size by 10 (a quick check).
#
# Needs root (namespaces), python3, /usr/bin/time.  Prints a Markdown table.
set -u
FWBENCH=
REPEAT=3
SCALE=1
while [[ $# -gt 0 ]]; do
    case $1 in
    --fwbench) FWBENCH=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --small) SCALE=10; shift ;;
    *) echo "usage: $0 --fwbench PATH [--repeat N] [--small]" >&2; exit 2 ;;
    esac
done
[[ -x "$FWBENCH" ]] || { echo "bench: --fwbench PATH is required" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
NS=sdfw$$-bench
TMP=$(mktemp -d /tmp/sdfw-bench.XXXXXX)
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
PEER_TIMEOUT=900

fresh_ns() { ip netns del "$NS" 2>/dev/null; ip netns add "$NS"; }
# peer LABEL INPUT CMD... -> "seconds peakKiB" (or "timeout")
peer() {
    local in=$1 out
    shift
    fresh_ns
    /usr/bin/time -o "$TMP/time.out" -f "%e %M %x" timeout "$PEER_TIMEOUT" ip netns exec "$NS" "$@" \
        <"$in" >/dev/null 2>"$TMP/peer.err"
    out=$(tail -n 1 "$TMP/time.out")
    set -- $out
    if [[ "${3:-1}" != 0 ]]; then echo "failed($(head -c 80 "$TMP/peer.err" | tr '\n' ' '))"; else echo "$1 $2"; fi
}
# ours ARGS... -> "seconds peakMiB"
ours() {
    local line
    line=$("$FWBENCH" "$@" --repeat "$REPEAT" | tail -n 1)
    echo "$line" | sed -n 's/.*best parse+link+decision \([0-9.]*\) s; peak RSS \([0-9.]*\) MiB.*/\1 \2/p'
}

N100K=$((100000 / SCALE))
N1M=$((1000000 / SCALE))
echo "generating inputs (scale 1/$SCALE) ..." >&2
python3 "$HERE/gen.py" f2b "$N100K" "$TMP/f2b-100k.txt"
python3 "$HERE/gen.py" f2b "$N1M" "$TMP/f2b-1m.txt"
python3 "$HERE/gen.py" ipset "$N1M" "$TMP/ipset-1m.txt"
python3 "$HERE/gen.py" nft "$N100K" "$TMP/nft-100k.nft"
fresh_ns
ip netns exec "$NS" nft -f "$TMP/nft-100k.nft" || { echo "bench: nft -f failed" >&2; exit 1; }
ip netns exec "$NS" nft -j list ruleset >"$TMP/nft-100k.json"

row() { # NAME SIZE PEER1LABEL PEER1RESULT PEER2LABEL PEER2RESULT OURS
    local name=$1 size=$2 l1=$3 r1=$4 l2=$5 r2=$6 o=$7 best ratio ot orss
    read -r ot orss <<<"$o"
    best=$(printf '%s\n%s\n' "${r1%% *}" "${r2%% *}" | grep -E '^[0-9.]+$' | sort -g | head -n 1)
    ratio=$(awk -v o="$ot" -v b="$best" 'BEGIN { if (b > 0) printf "%.3f", o / b; else print "n/a" }')
    printf '| %s | %s | %s: %s | %s: %s | %s s, %s MiB | %s |\n' "$name" "$size" "$l1" "$(fmt "$r1")" \
        "$l2" "$(fmt "$r2")" "$ot" "$orss" "$ratio"
}
fmt() { # "sec KiB" -> "sec s, MiB"
    local s=$1
    set -- $s
    [[ $# -eq 2 && "$1" =~ ^[0-9.]+$ ]] || { echo "$s"; return; }
    awk -v t="$1" -v k="$2" 'BEGIN { printf "%s s, %.0f MiB", t, k / 1024 }'
}

echo "| input | size | peer | peer | ours (parse+link+decision) | ours / fastest peer |"
echo "|---|---|---|---|---|---|"
r1=$(peer "$TMP/f2b-100k.txt" iptables-nft-restore --test)
r2=$(peer "$TMP/f2b-100k.txt" iptables-legacy-restore --test)
o=$(ours --iptables "$TMP/f2b-100k.txt" --client 10.0.0.1 --client 192.0.2.1)
row "iptables-save, f2b chain, $N100K rules" "$(du -h "$TMP/f2b-100k.txt" | cut -f1)" \
    "iptables-nft-restore --test" "$r1" "iptables-legacy-restore --test" "$r2" "$o"
r1=$(peer "$TMP/f2b-1m.txt" iptables-nft-restore --test)
r2=$(peer "$TMP/f2b-1m.txt" iptables-legacy-restore --test)
o=$(ours --iptables "$TMP/f2b-1m.txt" --client 10.0.0.1 --client 192.0.2.1)
row "iptables-save, f2b chain, $N1M rules" "$(du -h "$TMP/f2b-1m.txt" | cut -f1)" \
    "iptables-nft-restore --test" "$r1" "iptables-legacy-restore --test" "$r2" "$o"
r1=$(peer "$TMP/ipset-1m.txt" ipset restore)
o=$(ours --ipset "$TMP/ipset-1m.txt" --with-iptables "$TMP/ipset-1m.txt.rules" --client 10.0.0.1 \
    --client 192.0.2.1)
row "ipset save, hash:net, $N1M members" "$(du -h "$TMP/ipset-1m.txt" | cut -f1)" \
    "ipset restore" "$r1" "-" "-" "$o"
r1=$(peer "$TMP/nft-100k.nft" nft -c -f -)
o=$(ours --nft-json "$TMP/nft-100k.json" --client 10.0.0.1 --client 192.0.2.1)
row "nft ruleset, $N100K rules (ours: its nft -j JSON, $(du -h "$TMP/nft-100k.json" | cut -f1))" \
    "$(du -h "$TMP/nft-100k.nft" | cut -f1)" "nft -c -f" "$r1" "-" "-" "$o"
echo
echo "machine: $(nproc) CPUs, $(uname -r); $(date -u +%Y-%m-%dT%H:%MZ)"
