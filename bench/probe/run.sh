#!/usr/bin/env bash
# Benchmark: banner+KEXINIT probing of N endpoints (distinct 127.x.y.z addresses served by one
# sshd in a private network namespace), side by side in one run:
#   sshdiag probe --no-deep    (banner + KEXINIT)
#   sshdiag probe (deep stage: key exchange + none auth)
#   ssh-keyscan -t ed25519     (full key exchange)
#   a minimal asyncio banner+KEXINIT reader in Python (bench/probe/asyncio_probe.py)
# Prints wall time, hosts/s, client CPU per endpoint and peak RSS for each.  Needs root.
# Usage: bench/probe/run.sh [N]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
bin=$PWD/build/sshdiag
ns=sdbench$$
dir=$(mktemp -d /tmp/sdbench.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
mkdir -p /run/sshd
cat >"$dir/sshd_config" <<CFG
Port 22
ListenAddress 0.0.0.0
HostKey $dir/hostkey
PidFile $dir/pid
UsePAM no
MaxStartups 4000:100:4000
PerSourceMaxStartups none
LogLevel ERROR
CFG
ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
pid=$!
for _ in $(seq 50); do ip netns exec "$ns" bash -c '</dev/tcp/127.0.0.1/22' 2>/dev/null && break; sleep 0.1; done
python3 - "$n" >"$dir/targets" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print(f"127.{1 + i // 62500}.{(i // 250) % 250}.{1 + i % 250}")
PY
sort -u "$dir/targets" -o "$dir/targets"
n=$(wc -l <"$dir/targets")

measure() { # name, command...: wall, CPU (user+sys) and peak RSS of the client
	local name=$1
	shift
	local t0 t1
	t0=$(date +%s.%N)
	ip netns exec "$ns" /usr/bin/time -f '%U %S %M' -o "$dir/time" "$@" >"$dir/out.$name" 2>"$dir/err.$name" || true
	t1=$(date +%s.%N)
	read -r u s m <"$dir/time" || true
	python3 - "$name" "$t0" "$t1" "$u" "$s" "$m" "$n" <<'PY'
import sys
name, t0, t1, u, s, m, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
wall = t1 - t0
print(f"| {name} | {n} | {wall:.2f} s | {n / wall:.0f} | {(u + s) * 1000 / n:.3f} ms | {m / 1024:.1f} MiB |")
PY
}

echo "| tool | endpoints | wall | hosts/s | client CPU per endpoint | peak RSS |"
echo "|---|---|---|---|---|---|"
measure sshdiag-banner-kexinit-json "$bin" probe --json --no-ssh-config --no-deep -n 1 --parallel 256 $(cat "$dir/targets")
ok=$(grep -c '"outcome":"ok"' "$dir/out.sshdiag-banner-kexinit-json" || true)
measure sshdiag-banner-kexinit-text "$bin" probe --no-ssh-config --no-deep -n 1 --parallel 256 $(cat "$dir/targets")
measure asyncio-python python3 bench/probe/asyncio_probe.py "$dir/targets"
measure ssh-keyscan ssh-keyscan -t ed25519 -f "$dir/targets"
keys=$(grep -c ssh-ed25519 "$dir/out.ssh-keyscan" || true)
measure sshdiag-deep "$bin" probe --json --no-ssh-config -n 1 --user root --parallel 256 $(cat "$dir/targets")
deep=$(grep -c '"outcome":"auth_methods"' "$dir/out.sshdiag-deep" || true)
echo
echo "sshdiag banner+KEXINIT ok: $ok/$n; deep auth_methods: $deep/$n; ssh-keyscan keys: $keys/$n; asyncio ok: $(grep -c ok "$dir/out.asyncio-python" || true)/$n"
