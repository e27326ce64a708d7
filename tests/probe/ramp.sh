#!/usr/bin/env bash
# probe --ramp against a real sshd: MaxStartups 4:50:8 and 10:30:100 must be recovered with
# start and full exact and the rate within 15 points.  Runs in a private network namespace
# (loopback only) with its own sshd, both removed afterwards.  Needs root.
set -uo pipefail
bin=$(realpath "${SSHDIAG:-build/sshdiag}")
ns=sdramp$$
dir=$(mktemp -d /tmp/sdramp.XXXXXX)
pass=0 fail=0
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
ip netns add "$ns" && ip netns exec "$ns" ip link set lo up || { echo "ramp: 0 passed, 1 failed"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
mkdir -p /run/sshd
for spec in 4:50:8 10:30:100; do
	IFS=: read -r want_start want_rate want_full <<<"$spec"
	printf 'Port 2222\nListenAddress 127.0.0.1\nHostKey %s/hostkey\nPidFile %s/pid\nUsePAM no\nMaxStartups %s\nLoginGraceTime 120\n' \
		"$dir" "$dir" "$spec" >"$dir/sshd_config"
	ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
	pid=$!
	for _ in $(seq 50); do ip netns exec "$ns" bash -c '</dev/tcp/127.0.0.1/2222' 2>/dev/null && break; sleep 0.1; done
	start=$SECONDS
	out=$(ip netns exec "$ns" timeout 90 "$bin" probe --json -n 1 --no-deep --ramp=110 127.0.0.1:2222 2>/dev/null)
	took=$((SECONDS - start))
	sleep 0.5
	left=$(ip netns exec "$ns" ss -Htn state established '( sport = :2222 )' | wc -l)
	if [ "$left" = 0 ]; then
		pass=$((pass + 1)); echo "ok   ramp $spec released every connection"
	else
		fail=$((fail + 1)); echo "FAIL ramp $spec left $left connections established"
	fi
	kill "$pid"; wait "$pid" 2>/dev/null; pid=
	got=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1])["ramp"]; print(r["start"], r["rate"], r["full"], r["full_exact"], r["samples"])' "$out" 2>/dev/null)
	read -r s r f exact samples <<<"$got"
	if [ "$s" = "$want_start" ] && [ "$f" = "$want_full" ] && [ "$exact" = True ] &&
		[ $((r - want_rate)) -le 15 ] && [ $((want_rate - r)) -le 15 ] && [ "$took" -lt 60 ]; then
		pass=$((pass + 1)); echo "ok   ramp $spec -> $s:$r:$f ($samples connections, ${took}s)"
	else
		fail=$((fail + 1)); echo "FAIL ramp $spec -> '$got' (${took}s)"
	fi
done
echo "ramp: $pass passed, $fail failed"
[ $fail = 0 ]
