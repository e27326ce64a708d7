#!/usr/bin/env bash
# `sshdiag bundle` on a test tree (--root, no root needed): what goes in, what never does.
# Plants real private keys (one under /etc/ssh, one that only HostKey names, one stray PEM key)
# and password hashes (/etc/shadow, /etc/passwd, a fail2ban config), then checks every byte of
# the tarball never holds them while the public keys and the keys' existence and mode are
# recorded; that the manifest's sizes and sha256 match the members; that `server --root` on
# the unpacked bundle says what it says on the tree; caps, -o -, no overwrite, read-only.
# Ends with "bundle: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${SSHDIAG:-$PWD/build/sshdiag}
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

t=$(mktemp -d /tmp/sshdiag-bundle-test.XXXXXX)
trap 'rm -rf "$t"' EXIT
T=$t/tree
mkdir -p "$T/etc/ssh/sshd_config.d" "$T/srv/keys" "$T/usr/sbin" "$T/etc/fail2ban" "$T/var/log"
cat >"$T/etc/ssh/sshd_config" <<'CFG'
Include /etc/ssh/sshd_config.d/*.conf
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /srv/keys/other_key
PasswordAuthentication no
CFG
printf 'MaxStartups 3:30:10\n' >"$T/etc/ssh/sshd_config.d/10-limits.conf"
ssh-keygen -q -t ed25519 -N '' -C planted1 -f "$T/etc/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C planted2 -f "$T/srv/keys/other_key"
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -C planted3 -f "$T/etc/ssh/stray_rsa"
chmod 600 "$T/etc/ssh/ssh_host_ed25519_key" "$T/srv/keys/other_key" "$T/etc/ssh/stray_rsa"
chmod 640 "$T/srv/keys/other_key"
H1='$6$Zq8LxPlant3d$W0m6l4Ckq4nZbXo0v1s3o1nM8R7v1Gm2s9pQk1hXyJ3mN5cA7bE9dF2gH4iK6lL8nP0qR2sT4uV6wX8yZ0aB2c'
H2='$y$j9T$PlantedSaltXYZ12345$Q2xvY2tob2xkZXJIYXNoVmFsdWVUaGF0TXVzdE5ldmVyTGVha'
H3='$2b$12$PlantedBcryptSaltValueuQ9r1x7Yw0ZkT3m5n7p9q1s3u5w7y9A'
printf 'root:%s:19000:0:99999:7:::\nlabuser:!:19000::::::\n' "$H1" >"$T/etc/shadow"
printf 'root:x:0:0:root:/root:/bin/bash\nolduser:%s:1001:1001::/home/old:/bin/sh\n' "$H2" >"$T/etc/passwd"
printf 'root:x:0:\n' >"$T/etc/group"
printf '[DEFAULT]\n# smtp password hash for the notifier: %s\nbantime = 10m\n' "$H3" >"$T/etc/fail2ban/jail.local"
printf '# header\n# more\nsshd: 203.0.113.7\n' >"$T/etc/hosts.deny"
: >"$T/etc/hosts.allow"
cp /usr/sbin/sshd "$T/usr/sbin/sshd"
for i in $(seq 1 40000); do echo "Nov 24 03:00:00 host sshd[1$i]: Connection closed by 198.51.100.$((i % 200)) port $i [preauth]"; done >"$T/var/log/auth.log"
before=$(cd "$T" && find . -printf '%p %m %s %T@\n' | sort | sha256sum)

# --- the bundle
"$bin" bundle --root "$T" -o "$t/b.tar.gz" --log-max 1 2>"$t/err"
check "bundle exits 0" '[ $? = 0 ] || { cat "$t/err"; false; }'
check "output is mode 0600" '[ "$(stat -c %a "$t/b.tar.gz")" = 600 ]'
after=$(cd "$T" && find . -printf '%p %m %s %T@\n' | sort | sha256sum)
check "the tree is unchanged (read-only)" '[ "$before" = "$after" ]'
tar -tzf "$t/b.tar.gz" >"$t/list"
check "tar lists the members" '[ -s "$t/list" ]'
for m in etc/ssh/sshd_config etc/ssh/sshd_config.d/10-limits.conf etc/ssh/ssh_host_ed25519_key.pub \
	srv/keys/other_key.pub etc/ssh/stray_rsa.pub etc/hosts.deny etc/passwd etc/fail2ban/jail.local \
	usr/sbin/sshd var/log/auth.log sshdiag/manifest.json sshdiag/stat.tsv; do
	check "member $m" 'grep -qx "$m" "$t/list"'
done
for m in etc/shadow etc/ssh/ssh_host_ed25519_key srv/keys/other_key etc/ssh/stray_rsa; do
	check "never a member: $m" '! grep -qx "$m" "$t/list"'
done

# every byte of the archive (headers, pax records, contents) and of every unpacked file
zcat "$t/b.tar.gz" >"$t/b.tar"
mkdir "$t/x" && tar -xf "$t/b.tar" -C "$t/x"
secrets=("$H1" "$H2" "$H3")
for k in "$T/etc/ssh/ssh_host_ed25519_key" "$T/srv/keys/other_key" "$T/etc/ssh/stray_rsa"; do
	# every base64 line of the key body
	while IFS= read -r l; do
		case $l in -----*) ;; *) [ ${#l} -ge 20 ] && secrets+=("$l") ;; esac
	done <"$k"
done
check "planted ${#secrets[@]} secret strings" '[ ${#secrets[@]} -gt 20 ]'
leaks=0
for s in "${secrets[@]}"; do
	if grep -qaF -- "$s" "$t/b.tar" || grep -rqaF -- "$s" "$t/x"; then
		leaks=$((leaks + 1))
		echo "  leaked: ${s:0:40}"
	fi
done
check "no secret in the archive or any member (${#secrets[@]} strings)" '[ $leaks = 0 ]'
textleak=0
while IFS= read -r -d '' f; do
	head -c 4 "$f" | grep -qa ELF && continue # sshd itself holds the words
	grep -qaF "PRIVATE KEY-----" "$f" && { textleak=1; echo "  key marker in $f"; }
done < <(find "$t/x" -type f -print0)
check "no member but the sshd binary holds a private key marker" '[ $textleak = 0 ]'
check "a salt fragment alone does not survive either" '! grep -qaF PlantedBcryptSalt "$t/b.tar" && ! grep -qaF Zq8LxPlant3d "$t/b.tar"'
check "public keys copied byte for byte" 'cmp -s "$T/etc/ssh/ssh_host_ed25519_key.pub" "$t/x/etc/ssh/ssh_host_ed25519_key.pub" && cmp -s "$T/srv/keys/other_key.pub" "$t/x/srv/keys/other_key.pub"'
check "passwd keeps its lines, hash redacted in place" '[ "$(sed -n 2p "$t/x/etc/passwd")" = "olduser:[REDACTED]:1001:1001::/home/old:/bin/sh" ] && [ "$(wc -l <"$t/x/etc/passwd")" = 2 ]'
check "fail2ban config keeps its lines" '[ "$(wc -l <"$t/x/etc/fail2ban/jail.local")" = 3 ] && grep -q "^bantime = 10m" "$t/x/etc/fail2ban/jail.local"'
check "the sshd binary is copied unchanged" 'cmp -s /usr/sbin/sshd "$t/x/usr/sbin/sshd"'

# the manifest: keys recorded, shadow skipped, sizes and checksums right
if python3 - "$t/x" <<'PY'
import hashlib, json, os, sys
x = sys.argv[1]
m = json.load(open(os.path.join(x, "sshdiag/manifest.json")))
keys = {k["path"]: k for k in m["host_keys"]}
for p, mode in (("/etc/ssh/ssh_host_ed25519_key", "0600"), ("/srv/keys/other_key", "0640"),
                ("/etc/ssh/stray_rsa", "0600")):
    k = keys[p]
    assert k["exists"] and not k["copied"] and k["mode"] == mode and k["public"] == p + ".pub", k
skipped = {s["path"]: s["why"] for s in m["skipped"]}
assert "password" in skipped["/etc/shadow"], skipped
assert "private key" in skipped["/srv/keys/other_key"], skipped
n = 0
for f in m["files"]:
    if "link" in f:
        continue
    data = open(os.path.join(x, f["path"].lstrip("/")), "rb").read()
    assert len(data) == f["size"] and hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
    n += 1
red = {f["path"]: f.get("redacted_hashes", 0) for f in m["files"]}
assert red["/etc/passwd"] == 1 and red["/etc/fail2ban/jail.local"] == 1, red
stat = open(os.path.join(x, "sshdiag/stat.tsv")).read().splitlines()
assert "f 640 %d %d /srv/keys/other_key" % (os.getuid(), os.getgid()) in stat, stat
print(f"  manifest: {n} members verified")
PY
then ok "manifest: host keys (existence, mode, public part), skipped files, sha256 of every member"; else bad "manifest"; fi

# the log window: the last MiB, from a line start
sz=$(stat -c %s "$t/x/var/log/auth.log")
check "log cut to --log-max 1 MiB ($sz bytes)" '[ "$sz" -le 1048576 ] && [ "$sz" -gt 900000 ]'
check "log window starts at a line start" 'head -1 "$t/x/var/log/auth.log" | grep -q "^Nov 24 03:00:00 host sshd"'
check "log window ends with the file" '[ "$(tail -1 "$t/x/var/log/auth.log")" = "$(tail -1 "$T/var/log/auth.log")" ]'

# --root on the unpacked bundle gives what --root on the tree gives (the log cut aside: same
# window for both by reading the cut copy into the tree first)
cp "$t/x/var/log/auth.log" "$T/var/log/auth.log"
for client in 203.0.113.7 198.51.100.5; do
	a=$("$bin" server --json --root "$T" --client $client 2>/dev/null)
	b=$("$bin" server --json --root "$t/x" --client $client 2>/dev/null)
	check "server --root: bundle = tree for $client" 'python3 -c "
import json,sys
a,b=(json.loads(s) for s in sys.argv[1:3])
k=lambda o:(o[\"verdict\"],[(f[\"layer\"],f[\"cause\"],f[\"severity\"],f[\"summary\"],f[\"evidence\"]) for f in o[\"findings\"]],[(l[\"layer\"],l[\"status\"]) for l in o[\"layers\"]])
assert k(a)==k(b),(k(a),k(b))
" "$a" "$b"'
done
check "hosts.deny:3 cited from the bundle" 'python3 -c "
import json,sys
o=json.loads(sys.argv[1])
assert o[\"verdict\"]==\"blocked\" and any(e[\"source\"]==\"/etc/hosts.deny\" and e[\"line\"]==3 for f in o[\"findings\"] for e in f[\"evidence\"])
" "$("$bin" server --json --root "$t/x" --client 203.0.113.7 2>/dev/null)"'
check "host keys present for the sshd layer (from the stat table)" '! "$bin" server --json --root "$t/x" --client 198.51.100.5 2>/dev/null | grep -q host_keys_unusable'

# a bundle of the unpacked bundle keeps the records
"$bin" bundle --root "$t/x" -o "$t/b2.tar.gz" 2>/dev/null
mkdir "$t/x2" && tar -xzf "$t/b2.tar.gz" -C "$t/x2"
check "a bundle of a bundle keeps stat.tsv and the public keys" 'grep -q " /srv/keys/other_key$" "$t/x2/sshdiag/stat.tsv" && [ -f "$t/x2/srv/keys/other_key.pub" ]'

# -o -, no overwrite, usage
"$bin" bundle --root "$T" -o - 2>/dev/null | tar -tz >"$t/list2"
check "-o - writes the archive to stdout" 'grep -qx sshdiag/manifest.json "$t/list2"'
"$bin" bundle --root "$T" -o "$t/j.tar.gz" --json >"$t/j.json" 2>/dev/null
tar -xzOf "$t/j.tar.gz" sshdiag/manifest.json >"$t/j.member" && echo >>"$t/j.member"
check "--json prints the manifest that is in the archive" 'cmp -s "$t/j.member" "$t/j.json"'
"$bin" bundle --root "$T" -o - --json >/dev/null 2>&1
check "--json with -o -: usage error" '[ $? = 2 ]'
"$bin" bundle --root "$T" -o "$t/b.tar.gz" 2>/dev/null
check "refuses to overwrite (exit 2)" '[ $? = 2 ]'
"$bin" bundle --root "$t/nonexistent" -o "$t/c.tar.gz" 2>/dev/null
check "a missing root is a usage error, no output left" '[ $? = 2 ] && [ ! -e "$t/c.tar.gz" ]'
"$bin" bundle --bogus 2>/dev/null
check "unknown option: exit 2" '[ $? = 2 ]'

# an sosreport-style tree: files where sos copies them, command output under sos_commands/
S=$t/sosreport-host-2026-11-24
mkdir -p "$S/etc/ssh" "$S/sos_commands/logs" "$S/sos_commands/firewall_tables" "$S/sos_commands/ssh" "$S/usr/sbin"
cp "$T/etc/ssh/sshd_config" "$S/etc/ssh/sshd_config"
cp -r "$T/etc/ssh/sshd_config.d" "$S/etc/ssh/"
cp "$T/etc/hosts.deny" "$T/etc/hosts.allow" "$S/etc/"
cp /usr/sbin/sshd "$S/usr/sbin/sshd"
printf 'Nov 24 03:25:15 host sshd[4242]: refused connect from 203.0.113.7 (203.0.113.7)\n' \
	>"$S/sos_commands/logs/journalctl_--no-pager"
printf 'table inet filter {\n}\n' >"$S/sos_commands/firewall_tables/nft_list_ruleset"
sj=$("$bin" server --json --root "$S" --client 203.0.113.7 2>/dev/null)
check "sosreport: hosts.deny:3 and the journal cited, the firewall unreadable (never clear)" 'python3 -c "
import json,sys
o=json.loads(sys.argv[1])
ev=[(e[\"source\"],e[\"line\"]) for f in o[\"findings\"] if f[\"cause\"]==\"tcp_wrappers_deny\" for e in f[\"evidence\"]]
assert (\"/etc/hosts.deny\",3) in ev, ev
assert any(s==\"/sos_commands/logs/journalctl_--no-pager\" for s,_ in ev), ev
fw=[l for l in o[\"layers\"] if l[\"layer\"]==\"firewall\"][0]
assert fw[\"status\"]==\"unreadable\", fw
assert o[\"verdict\"]==\"blocked\", o[\"verdict\"]
" "$sj"'
"$bin" bundle --root "$S" -o "$t/sos.tar.gz" 2>/dev/null
mkdir "$t/xs" && tar -xzf "$t/sos.tar.gz" -C "$t/xs"
check "a bundle of an sosreport keeps what --root reads" '[ -f "$t/xs/etc/hosts.deny" ] && [ -f "$t/xs/etc/ssh/sshd_config.d/10-limits.conf" ] && [ -f "$t/xs/usr/sbin/sshd" ] && [ -f "$t/xs/sos_commands/logs/journalctl_--no-pager" ]'

# a bundle taken with --client: the interface its packets arrive on decides -i rules under --root
F=$t/iif
mkdir -p "$F/sshdiag"
echo '{"sshdiag_bundle": 1}' >"$F/sshdiag/manifest.json"
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i br9 -p tcp --dport 22 -j DROP\nCOMMIT\n' \
	>"$F/sshdiag/iptables-save.txt"
printf '192.0.2.10\tbr9\t192.0.2.1\n198.51.100.10\teth0\t198.51.100.1\n' >"$F/sshdiag/firewall-iif.tsv"
fwv() { "$bin" server --json --root "$F" --client "$1" 2>/dev/null |
	python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["verdict"], [(f["cause"], f["severity"]) for f in o["findings"] if f["layer"]=="firewall"])'; }
check "recorded interface br9: the -i br9 DROP blocks 192.0.2.10" '[[ "$(fwv 192.0.2.10)" == "blocked [('"'"'firewall_drop'"'"', '"'"'blocker'"'"')]" ]]'
check "recorded interface eth0: the -i br9 DROP does not apply" '[[ "$(fwv 198.51.100.10)" != *firewall_drop* ]]'
check "no interface recorded: uncertain, never clear" '[[ "$(fwv 203.0.113.9)" == "intermittent [('"'"'firewall_drop'"'"', '"'"'risk'"'"')]" ]]'

# taken without root on the live system: the parts it could not read make --root inconclusive,
# never clear (the firewall captures it could not make are recorded as such)
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	nr=$(mktemp -d /tmp/sshdiag-bundle-nr.XXXXXX)
	chmod 755 "$nr"
	cp "$bin" "$nr/sshdiag"
	chmod 755 "$nr/sshdiag"
	chmod 777 "$nr"
	(cd "$nr" && runuser -u nobody -- ./sshdiag bundle -o "$nr/b.tar.gz" 2>/dev/null)
	mkdir "$nr/x" && tar -xzf "$nr/b.tar.gz" -C "$nr/x" 2>/dev/null
	v=$("$bin" server --json --root "$nr/x" --client 192.0.2.99 2>/dev/null |
		python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["verdict"], [l["status"] for l in o["layers"] if l["layer"] in ("listen","firewall")])')
	check "bundle taken as nobody: --root is inconclusive ($v)" '[[ "$v" == "inconclusive ['"'"'unreadable'"'"', '"'"'unreadable'"'"']" ]]'
	check "bundle taken as nobody: the failed captures are recorded" 'grep -q "^unreadable	iptables-save	" "$nr/x/sshdiag/firewall-failed.tsv"'
	rm -rf "$nr"
fi

echo "bundle: $pass passed, $fail failed"
[ $fail = 0 ]
