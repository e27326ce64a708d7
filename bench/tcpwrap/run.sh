#!/usr/bin/env bash
# Benchmark: a DenyHosts-style hosts.deny of N lines (default 1,000,000 "sshd: a.b.c.d" lines)
# decided for one client, side by side in one run:
#   sshdiag server --root DIR --client ADDR   (the whole command: TCP wrappers layer and all)
#   tcpdmatch -d sshd ADDR                     (libwrap's own tool, run in DIR)
#   grep -c -w -F ADDR DIR/etc/hosts.deny      (the scan limit)
# for a client listed last and one that is absent.  Best of 5 wall times, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
bin=$PWD/build/sshdiag
dir=$(mktemp -d /tmp/sdtwbench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/etc"
python3 - "$n" "$dir/etc/hosts.deny" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n - 1):
        f.write(f"sshd: 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n")
    f.write("sshd: 203.0.113.77\n")  # the listed client, last
PY
: >"$dir/etc/hosts.allow"
cp "$dir/etc/hosts.deny" "$dir/hosts.deny"
cp "$dir/etc/hosts.allow" "$dir/hosts.allow"
echo "hosts.deny: $(wc -l <"$dir/etc/hosts.deny") lines, $(du -h "$dir/etc/hosts.deny" | cut -f1)"
cat "$dir/etc/hosts.deny" >/dev/null # page cache

best() { # label, command...: best of 5 wall times and peak RSS
	local label=$1
	shift
	python3 - "$label" "$@" <<'PY'
import subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
times = []
for _ in range(5):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t0)
rss = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
print(f"| {label} | {min(times) * 1000:.1f} ms | {int(rss) / 1024:.1f} MiB |")
PY
}

for addr in 203.0.113.77 198.51.100.99; do
	case $addr in 203.0.113.77) what="listed last" ;; *) what="absent" ;; esac
	echo
	echo "client $addr ($what): sshdiag says: $("$bin" server --root "$dir" --client "$addr" --json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["verdict"], [(f["cause"], f["evidence"][0]["line"]) for f in o["findings"] if f["layer"]=="tcp_wrappers"])')"
	echo "| tool | best of 5 | peak RSS |"
	echo "|---|---|---|"
	best "sshdiag server --root" "$bin" server --root "$dir" --client "$addr"
	best "tcpdmatch -d" bash -c "cd '$dir' && exec tcpdmatch -d sshd $addr"
	best "grep -c -w -F" grep -c -w -F "$addr" "$dir/etc/hosts.deny"
done
