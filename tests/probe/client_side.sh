#!/usr/bin/env bash
# probe's client side against a real sshd: an ~/.ssh/config-style file passed with -F (alias
# -> HostName/Port/BindAddress), ProxyJump, --source side by side (the server rejects one of
# two client addresses), and this machine's own OUTPUT chain (DROP, REJECT) named by chain
# and rule number.  Two private network namespaces joined by a veth pair, an sshd of their
# own; all removed afterwards.  Needs root.
set -uo pipefail
bin=$(realpath "${SSHDIAG:-build/sshdiag}")
ns_s=sdcli$$s
ns_c=sdcli$$c
dir=$(mktemp -d /tmp/sdcli.XXXXXX)
pass=0 fail=0
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2-}" ] && printf '%s\n' "$2" | sed 's/^/     /' | head -40; }
# check NAME JSON PYTHON-EXPR: the expression, over j (the first JSON line) and js (all), holds
check() {
	if python3 -c '
import json, sys
js = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
j = js[0]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3" 2>/dev/null; then ok "$1"; else ko "$1" "$2"; fi
}
# has NAME TEXT PATTERN: an extended regexp occurs in the text
has() { if grep -Eq -- "$3" <<<"$2"; then ok "$1"; else ko "$1" "$2"; fi; }
# the text with wrapped lines joined (the report wraps at 80 columns)
flat() { tr '\n' ' ' <<<"$1" | tr -s ' '; }
# every line fits 80 columns (but the algorithm line of src/report/text.c, not this work's)
fits() { if ! grep -v '^  ssh would negotiate: ' <<<"$2" | awk 'length > 80 { exit 1 }'; then ko "$1" "$2"; else ok "$1"; fi; }

setup() {
	ip netns add "$ns_s" && ip netns add "$ns_c" || return 1
	ip link add sdv$$s netns "$ns_s" type veth peer name sdv$$c netns "$ns_c" || return 1
	ip -n "$ns_s" addr add 192.0.2.1/24 dev sdv$$s
	ip -n "$ns_c" addr add 192.0.2.10/24 dev sdv$$c
	ip -n "$ns_c" addr add 192.0.2.20/24 dev sdv$$c
	for n in "$ns_s" "$ns_c"; do ip -n "$n" link set lo up; done
	ip -n "$ns_s" link set sdv$$s up && ip -n "$ns_c" link set sdv$$c up || return 1
	ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey" || return 1
	mkdir -p /run/sshd
	printf 'Port 2222\nListenAddress 192.0.2.1\nHostKey %s/hostkey\nPidFile %s/pid\nUsePAM no\n' \
		"$dir" "$dir" >"$dir/sshd_config"
	ip netns exec "$ns_s" /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
	pid=$!
	for _ in $(seq 50); do
		ip netns exec "$ns_c" bash -c '</dev/tcp/192.0.2.1/2222' 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
if ! setup; then echo "client_side: 0 passed, 1 failed (setup)"; exit 1; fi
# the server rejects one of the client's two addresses
ip netns exec "$ns_s" iptables -A INPUT -s 192.0.2.10 -p tcp --dport 2222 -j REJECT --reject-with tcp-reset

cat >"$dir/config" <<CFG
Host lab
    HostName 192.0.2.1
    Port 2222
    BindAddress 192.0.2.20
    ConnectTimeout 2
Host blocked
    HostName 192.0.2.1
    Port 2222
    BindAddress 192.0.2.10
Host viajump
    HostName 10.99.0.7
    ProxyJump jumper
Host jumper
    HostName 192.0.2.1
    Port 2222
    BindAddress 192.0.2.20
Host twohops
    HostName 10.99.0.8
    ProxyJump viajump
Host pc
    HostName 192.0.2.1
    Port 2222
    ProxyCommand nc %h %p
CFG
run() { ip netns exec "$ns_c" env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u all_proxy -u ALL_PROXY "$@"; }

# 1. an alias through -F: HostName, Port, BindAddress, ConnectTimeout applied
out=$(run "$bin" probe --json --no-deep -n 1 -F "$dir/config" lab)
check "alias: probes HostName:Port, not the alias" "$out" 'j["address"] == "192.0.2.1" and j["port"] == 2222 and j["target"] == "lab"'
check "alias: banner read (ok)" "$out" 'j["outcome"] == "ok"'
check "alias: BindAddress bound and reported as the local address" "$out" \
	'j["client"]["source"] == "192.0.2.20" and j["client"]["source_from"] == "BindAddress" and j["attempts"][0]["local_address"] == "192.0.2.20" and j["attempts"][0]["local_port"] > 0'
check "alias: ssh -G facts in JSON" "$out" \
	'j["client"]["ssh_config"]["used"] and j["client"]["ssh_config"]["connect_timeout_s"] == 2 and j["client"]["ssh_config"]["hostname"] == "192.0.2.1"'
check "alias: no proxy in the path, local firewall evaluated and clear" "$out" \
	'j["client"]["proxies"] == [] and j["client"]["local_firewall"]["status"] == "evaluated" and not j["client"]["local_firewall"]["blocked"]'
txt=$(run "$bin" probe --no-deep -n 1 -F "$dir/config" lab)
has "alias: text names the configuration" "$txt" 'ssh config \(ssh -G -F .*/config lab\):'
has "alias: text names HostName, Port, BindAddress" "$(flat "$txt")" ' lab -> HostName 192\.0\.2\.1, Port 2222.*BindAddress 192\.0\.2\.20'
fits "alias: text fits 80 columns" "$txt"
has "alias: text names the source address" "$txt" 'source address: 192\.0\.2\.20 \(bound, from BindAddress\); used: 192\.0\.2\.20'
echo "$txt" >"$dir/case-alias.txt"

# 2. --no-ssh-config: the alias is a name that does not resolve
out=$(run "$bin" probe --json --no-deep -n 1 --no-ssh-config -F "$dir/config" lab)
check "--no-ssh-config: the alias is probed as typed" "$out" 'j["outcome"] == "resolve_failed" and not j["client"]["ssh_config"]["used"]'

# 3. --source side by side: the server rejects 192.0.2.10, admits 192.0.2.20
out=$(run "$bin" probe --json --no-deep -n 1 -F "$dir/config" --source 192.0.2.10 --source 192.0.2.20 lab)
check "sources: one result per source" "$out" 'len(js) == 2 and [x["client"]["source"] for x in js] == ["192.0.2.10", "192.0.2.20"]'
check "sources: 192.0.2.10 refused, 192.0.2.20 ok" "$out" '[x["outcome"] for x in js] == ["refused", "ok"]'
check "sources: each attempt used its source" "$out" '[x["attempts"][0]["local_address"] for x in js] == ["192.0.2.10", "192.0.2.20"]'
txt=$(run "$bin" probe --no-deep -n 1 -F "$dir/config" --source 192.0.2.10,192.0.2.20 lab)
has "sources: side-by-side table, refused row" "$txt" '^  192\.0\.2\.10 +192\.0\.2\.1:2222 +refused'
has "sources: side-by-side table, ok row" "$txt" '^  192\.0\.2\.20 +192\.0\.2\.1:2222 +ok +OpenSSH_'
fits "sources: text fits 80 columns" "$txt"
echo "$txt" >"$dir/case-sources.txt"
run "$bin" probe --no-deep -n 1 -F "$dir/config" --source 192.0.2.10,192.0.2.20 lab >/dev/null
rc=$?
[ "$rc" = 1 ] && ok "sources: exit 1 when one source fails" || ko "sources: exit 1 when one source fails (got $rc)"

# 4. ProxyJump: the jump host is what this machine connects to
out=$(run "$bin" probe --json --no-deep -n 1 -F "$dir/config" viajump)
check "ProxyJump: the first hop is probed, with its own HostName/Port/BindAddress" "$out" \
	'j["address"] == "192.0.2.1" and j["port"] == 2222 and j["client"]["probed_jump_host"] == "jumper" and j["outcome"] == "ok" and j["attempts"][0]["local_address"] == "192.0.2.20"'
txt=$(run "$bin" probe --no-deep -n 1 -F "$dir/config" viajump)
has "ProxyJump: text says the jump host was probed" "$txt" 'ProxyJump jumper: ssh connects to the jump host, not to viajump'
has "ProxyJump: the first lines say so" "$(head -2 <<<"$txt" | tr '\n' ' ')" '^viajump: ssh goes through ProxyJump jumper: +probing that jump host \(192\.0\.2\.1 port 2222\)'
echo "$txt" >"$dir/case-jump.txt"
check "ProxyJump: reported as a proxy in the path" "$out" \
	'j["client"]["proxies"][0]["kind"] == "proxy_jump" and j["client"]["proxies"][0]["in_path"]'
# a jump host reached through a ProxyJump of its own: the first hop of the chain is probed
out=$(run "$bin" probe --json --no-deep -n 1 -F "$dir/config" twohops)
check "ProxyJump chain: the first hop of the first hop is probed" "$out" \
	'j["address"] == "192.0.2.1" and j["port"] == 2222 and j["client"]["probed_jump_host"] == "jumper" and j["outcome"] == "ok"'
# 5. ProxyCommand: reported, the direct path labelled as not ssh's
txt=$(run "$bin" probe --no-deep -n 1 -F "$dir/config" pc)
has "ProxyCommand: named, the direct probe labelled" "$(flat "$txt")" 'ProxyCommand nc %h %p: .*probe connected directly, a path ssh does not use'
# 6. an environment proxy is not in ssh's path
out=$(ip netns exec "$ns_c" env https_proxy=http://alice:s3cret@proxy.example:3128 "$bin" probe --json --no-deep -n 1 -F "$dir/config" lab)
check "environment proxy: reported as not in the path, credentials removed" "$out" \
	'any(p["name"] == "https_proxy" and not p["in_path"] and "s3cret" not in p["value"] and "proxy.example:3128" in p["value"] for p in j["client"]["proxies"])'

# 7. this machine's OUTPUT chain drops the SYN
ip netns exec "$ns_c" iptables -A OUTPUT -o lo -j ACCEPT
ip netns exec "$ns_c" iptables -A OUTPUT -d 192.0.2.1 -p tcp --dport 2222 -j DROP
start=$SECONDS
out=$(run "$bin" probe --json --no-deep -n 1 -t 1000 -F "$dir/config" lab)
check "OUTPUT drop: the probe times out connecting" "$out" 'j["outcome"] == "timeout_connect"'
check "OUTPUT drop: named as this machine's rule (chain OUTPUT, rule 2)" "$out" \
	'j["client"]["local_firewall"]["blocked"] and j["client"]["local_firewall"]["chain"] == "OUTPUT" and j["client"]["local_firewall"]["rule"] == 2 and j["client"]["local_firewall"]["packet"] == "SYN" and j["client"]["local_firewall"]["client_sees"] == "timeout"'
check "OUTPUT drop: the rule text is quoted" "$out" '"-j DROP" in j["client"]["local_firewall"]["text"] and j["client"]["local_firewall"]["place"] == "iptables filter OUTPUT rule 2"'
check "OUTPUT drop: the source address is still known" "$out" 'j["attempts"][0]["local_address"] == "192.0.2.20"'
check "OUTPUT drop: the local firewall is the first likely cause" "$out" \
	'j["likely_causes"][0]["cause"] == "local_firewall" and "OUTPUT rule 2" in j["likely_causes"][0]["why"]'
txt=$(run "$bin" probe --no-deep -n 1 -t 1000 -F "$dir/config" lab)
has "OUTPUT drop: text says this machine stops it" "$(flat "$txt")" 'local firewall: THIS MACHINE stops it: iptables filter OUTPUT rule 2 drops the SYN'
fits "OUTPUT drop: text fits 80 columns" "$txt"
has "OUTPUT drop: the first lines say so" "$(head -2 <<<"$txt" | tr '\n' ' ' | tr -s ' ')" "^lab: stopped by THIS MACHINE's own firewall: iptables filter OUTPUT rule 2 drops the SYN"
echo "$txt" >"$dir/case-output.txt"
[ $((SECONDS - start)) -lt 20 ] && ok "OUTPUT drop: bounded by -t" || ko "OUTPUT drop: took $((SECONDS - start)) s"
# ConnectTimeout 2 from the configuration bounds the attempt when -t is not given
out=$(run "$bin" probe --json --no-deep -n 1 -F "$dir/config" lab)
check "ConnectTimeout: the connect gives up after ssh's 2 s" "$out" \
	'j["outcome"] == "timeout_connect" and 1900 <= j["attempts"][0]["timings"]["total_ms"] <= 2900'
# 8. a REJECT in OUTPUT: refused at once, and named
ip netns exec "$ns_c" iptables -R OUTPUT 2 -d 192.0.2.1 -p tcp --dport 2222 -j REJECT --reject-with icmp-port-unreachable
out=$(run "$bin" probe --json --no-deep -n 1 -t 1000 -F "$dir/config" lab)
check "OUTPUT reject: refused, and the local rule predicts it" "$out" \
	'j["outcome"] == "refused" and j["client"]["local_firewall"]["blocked"] and j["client"]["local_firewall"]["client_sees"] == "refused" and j["client"]["local_firewall"]["rule"] == 2'
ip netns exec "$ns_c" iptables -F OUTPUT
# the same drop as an nft output hook
if command -v nft >/dev/null; then
	ip netns exec "$ns_c" nft -f - <<NFT
table inet sdcli {
	chain out {
		type filter hook output priority 0; policy accept;
		ip daddr 192.0.2.1 tcp dport 2222 counter drop
	}
}
NFT
	out=$(run "$bin" probe --json --no-deep -n 1 -t 1000 -F "$dir/config" lab)
	check "nft output hook drop: named (table, chain, rule)" "$out" \
		'j["outcome"] == "timeout_connect" and j["client"]["local_firewall"]["blocked"] and j["client"]["local_firewall"]["chain"] == "out" and j["client"]["local_firewall"]["place"].startswith("nft inet sdcli out rule 1") and "drop" in j["client"]["local_firewall"]["text"]'
	ip netns exec "$ns_c" nft delete table inet sdcli
fi

# 9. without root the local ruleset is unreadable, and the probe says so
if id nobody >/dev/null 2>&1 && ip netns exec "$ns_c" setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
	ip netns exec "$ns_c" setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$bin"; then
	cp "$dir/config" "$dir/config.nobody" && chmod 644 "$dir/config.nobody" && chmod 755 "$dir"
	out=$(ip netns exec "$ns_c" setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" probe --json --no-deep -n 1 -F "$dir/config.nobody" lab 2>&1)
	check "non-root: the local firewall is reported unreadable" "$out" \
		'j["client"]["local_firewall"]["status"] == "unreadable" and "root" in j["client"]["local_firewall"]["note"] and j["outcome"] == "ok"'
else
	echo "skip non-root case: $bin is not executable by nobody"
fi

for f in alias sources output jump; do
	echo "---- probe output, case $f"
	cat "$dir/case-$f.txt"
done
echo "client_side: $pass passed, $fail failed"
[ $fail = 0 ]
