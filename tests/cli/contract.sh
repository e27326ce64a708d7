#!/usr/bin/env bash
# The CLI contract: exit codes, --help/--version, and the JSON shapes of server and probe.
# Prints one line per check and ends with `cli: N passed, N failed`.
set -uo pipefail
bin=${SSHDIAG:-build/sshdiag}
pass=0 fail=0
if [ ! -x "$bin" ]; then
	echo "FAIL no program at $bin"
	echo "cli: 0 passed, 1 failed"
	exit 1
fi
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { # name, expected exit, command...
	local name=$1 want=$2
	shift 2
	"$@" >/tmp/sshdiag-cli.$$ 2>&1
	local got=$?
	if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else bad "$name: exit $got, want $want"; sed 's/^/     /' /tmp/sshdiag-cli.$$ | head -5; fi
}
json_check() { # name, python expression over `o` that must be true, json file
	if python3 -c "import json,sys; o=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$3"; then ok "$1"; else bad "$1"; fi
}

check "--version" 0 "$bin" --version
grep -qE '^sshdiag [0-9]+\.[0-9]+\.[0-9]+$' /tmp/sshdiag-cli.$$ && ok "version format" || bad "version format"
check "--help" 0 "$bin" --help
check "no command is a usage error" 2 "$bin"
check "unknown command" 2 "$bin" frobnicate
for c in probe server logs sshd-config explain; do check "$c --help" 0 "$bin" $c --help; done
check "server bad option" 2 "$bin" server --bogus
check "server --client must be numeric" 2 "$bin" server --client not-an-address
check "server --port range" 2 "$bin" server --port 70000
check "server --root missing dir" 2 "$bin" server --root /nonexistent/sshdiag-root
check "probe without target" 2 "$bin" probe
check "probe bad target" 2 "$bin" probe 'host:99999'

# server: the exit code follows the verdict; a layer not implemented yet forbids "clear"
out=/tmp/sshdiag-server.$$.json
"$bin" server --client 192.0.2.10 --port 22 --json >"$out"
rc=$?
json_check "server exit code follows the verdict ($rc)" \
	"{'clear':0,'blocked':1,'intermittent':1,'inconclusive':3}[o['verdict']]==$rc" "$out"
json_check "server: no clear while a layer is not evaluated" \
	"o['verdict']!='clear' or all(l['status'] in ('evaluated','not_applicable') for l in o['layers'])" "$out"
json_check "server json has the contract keys" \
	"set(['client','port','verdict','findings','layers']) <= set(o) and o['client']=='192.0.2.10' and o['port']==22" "$out"
json_check "server json findings carry the contract keys" \
	"all(set(['layer','cause','severity','summary','client_sees','evidence','fix']) <= set(f) and all(set(['source','line','text']) <= set(e) for e in f['evidence']) for f in o['findings'])" "$out"
json_check "server json layers in connection order" \
	"[l['layer'] for l in o['layers']]==['listen','firewall','bans','tcp_wrappers','sshd_admission','sshd_health','logs']" "$out"
json_check "server json layer statuses from the contract" \
	"all(l['status'] in ('evaluated','not_applicable','unreadable','not_implemented') and 'note' in l for l in o['layers'])" "$out"
mkdir -p /tmp/sshdiag-root.$$
check "server --root on an empty tree is inconclusive" 3 "$bin" server --root /tmp/sshdiag-root.$$ --client 2001:db8::7
rmdir /tmp/sshdiag-root.$$
NO_COLOR=1 "$bin" server --client 192.0.2.10 >/tmp/sshdiag-text.$$ 2>&1
head -1 /tmp/sshdiag-text.$$ | grep -qE '^(BLOCKED|INTERMITTENT|CLEAR|INCONCLUSIVE): 192.0.2.10 port 22' && ok "server text: first line is the answer" || bad "server text first line"
awk 'length > 80 {bad=1} END {exit bad}' /tmp/sshdiag-text.$$ && ok "server text fits 80 columns" ||
	{ bad "server text wider than 80 columns"; awk 'length > 80' /tmp/sshdiag-text.$$ | sed 's/^/     /'; }
grep -q $'\033' /tmp/sshdiag-text.$$ && bad "escape codes without a TTY" || ok "no colour without a TTY"

# probe: a closed loopback port, JSON Lines with the contract keys
pout=/tmp/sshdiag-probe.$$.json
"$bin" probe --json -n 2 127.0.0.1:1 >"$pout"
rc=$?
[ $rc = 1 ] && ok "probe of a closed port exits 1" || bad "probe closed port exit $rc, want 1"
[ "$(wc -l <"$pout")" = 1 ] && ok "probe --json: one line per address" || bad "probe --json line count"
json_check "probe json has the contract keys" \
	"set(['target','address','port','outcome','pattern','attempts','banner','kexinit','likely_causes','connections_made']) <= set(o)" "$pout"
json_check "probe json: refused, deterministic, 2 connections" \
	"o['outcome']=='refused' and o['pattern']=='deterministic' and o['connections_made']==2 and len(o['attempts'])==2" "$pout"
json_check "probe json: attempts carry outcome and phase timings" \
	"all(a['outcome']=='refused' and set(['resolve_ms','connect_ms','banner_ms','kexinit_ms']) <= set(a['timings']) for a in o['attempts'])" "$pout"
json_check "probe json: likely causes use the cause vocabulary, not_listening first" \
	"o['likely_causes'][0]['cause']=='not_listening' and all(c['why'] for c in o['likely_causes'])" "$pout"

# TCP wrappers under --root: whether sshd links libwrap is read from the ELF in the tree
tw=/tmp/sshdiag-tw.$$
mkdir -p "$tw/etc" "$tw/usr/sbin"
printf 'sshd: 203.0.113.7\n' >"$tw/etc/hosts.deny"
cp /usr/sbin/sshd "$tw/usr/sbin/sshd"
"$bin" server --root "$tw" --client 203.0.113.7 --json >"$tw/out.json"
json_check "tcp wrappers: libwrap-linked sshd in the tree, hosts.deny line 1 blocks" \
	"[l['status'] for l in o['layers'] if l['layer']=='tcp_wrappers']==['evaluated'] and any(f['cause']=='tcp_wrappers_deny' and f['severity']=='blocker' and f['evidence'][0]['source']=='/etc/hosts.deny' and f['evidence'][0]['line']==1 for f in o['findings']) and o['verdict']=='blocked'" "$tw/out.json"
cp /bin/true "$tw/usr/sbin/sshd" # an ELF without libwrap
"$bin" server --root "$tw" --client 203.0.113.7 --json >"$tw/out.json"
json_check "tcp wrappers: sshd without libwrap makes the layer not_applicable, the line an info" \
	"[l['status'] for l in o['layers'] if l['layer']=='tcp_wrappers']==['not_applicable'] and [f['severity'] for f in o['findings'] if f['layer']=='tcp_wrappers']==['info']" "$tw/out.json"
"$bin" server --root "$tw" --client 203.0.113.8 --json >"$tw/out.json"
json_check "tcp wrappers: an unlisted client gets no finding" \
	"not [f for f in o['findings'] if f['layer']=='tcp_wrappers']" "$tw/out.json"
rm -rf "$tw"

# logs: a file of real lab lines, classified into a client timeline
lg=/tmp/sshdiag-logs.$$
printf '%s\n' 'Nov 24 04:43:38 lab sshd[19430]: refused connect from 192.0.2.10 (192.0.2.10)' \
	'Nov 24 04:43:46 lab sshd[20100]: drop connection #2 from [192.0.2.10]:37418 on [192.0.2.1]:22 past MaxStartups' \
	'Nov 24 04:43:47 lab sshd[20101]: Invalid user bob from 198.51.100.7 port 4242' >"$lg"
"$bin" logs --json --client 192.0.2.10 "$lg" >"$lg.json"
json_check "logs --json: sources, and the client's events" \
	"o['sources'][0]['name']=='$lg' and o['sources'][0]['events']==3" "$lg.json"
check "logs --client with refusals exits 1 (problem found)" 1 "$bin" logs --client 192.0.2.10 "$lg"
check "logs --client needs an address" 2 "$bin" logs --client nonsense "$lg"
rm -f "$lg" "$lg.json"
# logs --root: the tree's own /var/log/auth.log, cited by its path on that system
lr=$(mktemp -d)
mkdir -p "$lr/var/log"
printf '%s\n' 'Nov 24 04:43:38 lab sshd[19430]: refused connect from 192.0.2.10 (192.0.2.10)' >"$lr/var/log/auth.log"
"$bin" logs --root "$lr" --json >"$lr/out.json"
json_check "logs --root: the tree's auth.log, named as on that system" \
	"[(x['name'], x['state'], x['events']) for x in o['sources']]==[('/var/log/auth.log','read',1)]" "$lr/out.json"
# ... with its rotations (.1 plain, .2.gz) read too, each named as on that system
printf '%s\n' 'Nov 23 04:43:38 lab sshd[19429]: refused connect from 192.0.2.10 (192.0.2.10)' >"$lr/var/log/auth.log.1"
printf '%s\n' 'Nov 22 04:43:38 lab sshd[19428]: refused connect from 192.0.2.11 (192.0.2.11)' | gzip >"$lr/var/log/auth.log.2.gz"
"$bin" logs --root "$lr" --client 192.0.2.10 --json >"$lr/out.json"
json_check "logs --root: rotated .1 and .gz read, the client's events counted over all" \
	"sorted(x['name'] for x in o['sources'])==['/var/log/auth.log','/var/log/auth.log.1','/var/log/auth.log.2.gz'] and sum(x['events'] for x in o['sources'])==3" "$lr/out.json"
# ... and an absolute symlink resolves inside the tree, as on that system: never to this host's file
outside=$(mktemp)
printf '%s\n' 'Nov 24 04:43:39 host sshd[1]: refused connect from 192.0.2.99 (192.0.2.99)' >"$outside"
rm -f "$lr/var/log/auth.log.1" "$lr/var/log/auth.log.2.gz"
ln -sf "$outside" "$lr/var/log/auth.log"
"$bin" logs --root "$lr" --json >"$lr/out.json"
json_check "logs --root: a symlink to this host's file is not read" \
	"o['sources']==[] and '192.0.2.99' not in json.dumps(o)" "$lr/out.json"
mkdir -p "$lr$(dirname "$outside")"
printf '%s\n' 'Nov 24 04:43:40 lab sshd[2]: refused connect from 192.0.2.12 (192.0.2.12)' >"$lr$outside"
"$bin" logs --root "$lr" --json >"$lr/out.json"
json_check "logs --root: the same symlink read as the tree's own file" \
	"[(x['name'], x['events']) for x in o['sources']]==[('/var/log/auth.log',1)] and '192.0.2.12' in json.dumps(o) and '192.0.2.99' not in json.dumps(o)" "$lr/out.json"
rm -f "$outside"
rm -rf "$lr"
rm -f /tmp/sshdiag-cli.$$ "$out" "$pout" /tmp/sshdiag-text.$$
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
