#!/usr/bin/env bash
# LAB_AFTER hook of the lab's sshdiag checks (tests/lab/sshdiag-checks.sh): while a check's
# scenario is up, runs `sshdiag probe` from that check's client namespace and `sshdiag server`
# in the server namespace, then takes `sshdiag bundle` there and checks that `sshdiag server
# --root` on it says exactly what the live run said; appends one verdict line per assertion to
# $SSHDIAG_CHECKS.
# What each scenario must give is in tests/lab/expect-sshdiag.tsv.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${SSHDIAG:?}
out=${SSHDIAG_CHECKS:?}
key="${LAB_SCENARIO}/${LAB_CHECK}"
line=$(awk -F'\t' -v k="$key" '$1 == k' "$here/expect-sshdiag.tsv")
if [ -z "$line" ]; then
	echo "FAIL $key: no expectation in expect-sshdiag.tsv" >>"$out"
	exit 0
fi
IFS=$'\t' read -r _ want_outcomes want_top _why want_server <<<"$line"

# client side: the probe's outcome and its top likely cause
json=$(ip netns exec "$LAB_CLIENT_NS" "$bin" probe --json -n 2 -t 3000 --user labuser \
	"$LAB_SERVER_ADDR:$LAB_PORT" 2>/dev/null | head -1)
got=$(python3 -c 'import json,sys
o=json.loads(sys.argv[1])
c=o["likely_causes"]
print(o["outcome"], c[0]["cause"] if c else "-", o["connections_made"])' "$json" 2>/dev/null)
read -r outcome top conns <<<"$got"
ok=1
[ -n "$outcome" ] || ok=0
case ",$want_outcomes," in *",*,"* | *",$outcome,"*) ;; *) ok=0 ;; esac
case ",$want_top," in *",*,"* | *",$top,"*) ;; *) ok=0 ;; esac
if [ $ok = 1 ]; then
	echo "ok   probe $key: $outcome, top cause $top ($conns connections; client saw: $LAB_CLIENT_LAST_LINE)" >>"$out"
else
	echo "FAIL probe $key: got outcome '$outcome' top '$top', want outcome in {$want_outcomes} top in {$want_top}" >>"$out"
fi

# server side: the contract holds in every scenario
sj=$(ip netns exec "$LAB_SRV_NS" "$bin" server --json --client "$LAB_CLIENT_ADDR" --port "$LAB_PORT" \
	${LAB_AUTH_LOG:+--log "$LAB_AUTH_LOG"} 2>/dev/null)
rc=$?
if python3 -c 'import json,sys
o=json.loads(sys.argv[1]); rc=int(sys.argv[2])
codes={"clear":0,"blocked":1,"intermittent":1,"inconclusive":3}
assert o["client"]==sys.argv[3] and o["verdict"] in codes and codes[o["verdict"]]==rc
assert [l["layer"] for l in o["layers"]]==["listen","firewall","bans","tcp_wrappers","sshd_admission","sshd_health","logs"]
# never a false clear: a clear verdict needs every layer evaluated or not applicable
if o["verdict"]=="clear": assert all(l["status"] in ("evaluated","not_applicable") for l in o["layers"])
' "$sj" "$rc" "$LAB_CLIENT_ADDR" 2>/dev/null; then
	echo "ok   server $key: contract, verdict $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["verdict"])' "$sj"), exit $rc" >>"$out"
else
	echo "FAIL server $key: contract broken (exit $rc): ${sj:0:200}" >>"$out"
fi

# server side: the layers that have landed name the right cause, file and line
if [ -n "${want_server:-}" ] && [ "$want_server" != "*" ]; then
	# without --client: the table of who is blocked (only when the spec asks about it)
	aj='{}'
	case "$want_server" in *anyone=*)
		aj=$(ip netns exec "$LAB_SRV_NS" "$bin" server --json --port "$LAB_PORT" \
			${LAB_AUTH_LOG:+--log "$LAB_AUTH_LOG"} 2>/dev/null) ;;
	esac
	# as an unprivileged user: inconclusive, naming the layers it could not read
	nj='{}'
	case "$want_server" in *nonroot=*)
		nd=$(mktemp -d)
		chmod 755 "$nd" && cp "$bin" "$nd/sshdiag" && chmod 755 "$nd/sshdiag"
		nj=$(ip netns exec "$LAB_SRV_NS" setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$nd/sshdiag" server --json --client "$LAB_CLIENT_ADDR" --port "$LAB_PORT" 2>/dev/null)
		nrc=$?
		nj=$(python3 -c 'import json,sys; o=json.loads(sys.argv[1]); o["exit"]=int(sys.argv[2]); print(json.dumps(o))' "$nj" "$nrc" 2>/dev/null || echo '{}')
		rm -rf "$nd" ;;
	esac
	if why=$(python3 - "$sj" "$want_server" "$LAB_DIR" "$LAB_CLIENT_ADDR" "$aj" "$nj" 2>&1 <<'PY'
import json, sys
o = json.loads(sys.argv[1])
statuses = {"evaluated", "not_applicable", "unreadable", "not_implemented"}
for spec in sys.argv[2].split(";"):
    layer, want = spec.split("=", 1)
    if layer == "verdict":
        if o["verdict"] != want:
            sys.exit(f"verdict {o['verdict']}, want {want}: {[(l['layer'], l['status']) for l in o['layers']]}")
        continue
    if layer == "anyone":  # a row of the no-client table: WHO@LAYER[+until][+logs]
        a = json.loads(sys.argv[5])
        who, rest = want.replace("LAB_CLIENT", sys.argv[4]).rsplit("@", 1)
        rlayer, *flags = rest.split("+")
        rows = [b for b in a.get("blocked", []) if b["who"] == who and b["layer"] == rlayer]
        if not rows or a.get("client") is not None:
            sys.exit(f"no-client table lacks {who}@{rlayer}: {[(b['who'], b['layer']) for b in a.get('blocked', [])]}")
        if "until" in flags and not rows[0]["until"]:
            sys.exit(f"row {who}@{rlayer} has no end time: {rows[0]}")
        if "logs" in flags and "logs: " not in rows[0]["by"]:
            sys.exit(f"row {who}@{rlayer} has no log pressure: {rows[0]['by']}")
        continue
    if layer == "nonroot":  # run as nobody: inconclusive (exit 3), these layers unreadable
        n = json.loads(sys.argv[6])
        st = {l["layer"]: l["status"] for l in n.get("layers", [])}
        bad = [x for x in want.split(",") if st.get(x) != "unreadable"]
        if n.get("verdict") != "inconclusive" or n.get("exit") != 3 or bad:
            sys.exit(f"as nobody: verdict {n.get('verdict')} exit {n.get('exit')}, not unreadable: {bad} ({st})")
        continue
    top = o["findings"][o["deciding"]] if o["deciding"] is not None else None
    if layer == "top":  # the finding that decides the verdict
        if not top or top["cause"] != want:
            sys.exit(f"deciding finding {top and top['cause']}, want {want}")
        continue
    if layer == "topsays":  # substrings of the deciding finding's summary, '|' separated
        miss = [w for w in want.replace("LAB_CLIENT", sys.argv[4]).split("|") if w not in top["summary"]]
        if miss:
            sys.exit(f"deciding summary lacks {miss}: {top['summary']}")
        continue
    if layer == "topfix":  # the deciding finding's first fix
        want = want.replace("LAB_CLIENT", sys.argv[4])
        if not top["fix"] or top["fix"][0] != want:
            sys.exit(f"deciding fix {top['fix'][:1]}, want {want}")
        continue
    if layer == "blockers":  # the independent blockers in connection order, deciding first
        fs = o["findings"]
        got = [top["cause"]] if top else []
        for i, f in enumerate(fs):
            if f is top or f["severity"] != "blocker" or f["enforces"] is not None and f["enforces"] == o["deciding"]:
                continue
            if top and top["enforces"] is not None and fs[top["enforces"]] is f:
                continue
            got.append(f["cause"])
        if got != want.split(","):
            sys.exit(f"blockers {got}, want {want}")
        continue
    st = [l["status"] for l in o["layers"] if l["layer"] == layer][0]
    mine = [f for f in o["findings"] if f["layer"] == layer]
    if want in statuses:
        bad = [f["cause"] for f in mine if f["severity"] in ("blocker", "risk")]
        if st != want or bad:
            sys.exit(f"{layer}: status {st}, findings {bad}; want {want} and no blocker")
        continue
    cause, where = want.split("@")
    where = where.replace("LAB_DIR", sys.argv[3])
    tail = where.rsplit(":", 1)
    src, line = (tail[0], int(tail[1])) if len(tail) == 2 and tail[1].isdigit() else (where, None)
    hits = [f for f in mine if f["cause"] == cause and f["severity"] in ("blocker", "risk") and
            any(e["source"] == src and (line is None or e["line"] == line) for e in f["evidence"])]
    if not hits:
        sys.exit(f"{layer}: no {cause} citing {where} in "
                 f"{[(f['cause'], f['severity'], [(e['source'], e['line']) for e in f['evidence']]) for f in mine]}")
    want_verdict = {"blocker": ("blocked",), "risk": ("blocked", "intermittent")}[hits[0]["severity"]]
    if o["verdict"] not in want_verdict:
        sys.exit(f"verdict {o['verdict']}, want {want_verdict}")
PY
	); then
		echo "ok   server $key: $want_server" >>"$out"
	else
		echo "FAIL server $key: $why" >>"$out"
	fi
fi
# explain: the real client's stderr, pasted as a user would, must land in the phase of the
# probe's outcome and name the expected cause among its causes; the scenario's auth.log, when
# the scenario expects a log finding, must be explained as that cause on the server side
ej=$("$bin" explain --json - <"${LAB_CLIENT_STDERR:-/dev/null}" 2>/dev/null)
if why=$(python3 - "$ej" "$want_outcomes" "$want_top" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
outcomes, tops = sys.argv[2].split(","), sys.argv[3].split(",")
phase = {"auth_methods": "authentication", "closed_at_auth": "authentication",
         "closed_after_kex": "authentication", "refused": "tcp_connect",
         "timeout_connect": "tcp_connect", "unreachable": "tcp_connect",
         "reset_before_banner": "banner_exchange", "closed_before_banner": "banner_exchange",
         "refused_by_sshd": "banner_exchange", "not_ssh": "banner_exchange"}
want = {phase[x] for x in outcomes if x in phase}
causes = [c["cause"] for c in o["causes"]]
if o["side"] != "client":
    sys.exit(f"side {o['side']} ({o['symptom']})")
if want and o["phase"] not in want:
    sys.exit(f"phase {o['phase']}, want {sorted(want)}")
if "auth_methods" in outcomes and (o["pre_auth"] or causes[:1] != ["auth_rejected"]):
    sys.exit(f"a login that reached authentication: pre_auth {o['pre_auth']}, causes {causes[:2]}")
if tops != ["-"] and tops != ["*"] and not set(tops) & set(causes):
    sys.exit(f"none of {tops} among {causes}")
print(f"{o['side']} {o['phase']} {o['symptom']}, first {causes[:1]}")
PY
); then
	echo "ok   explain $key: $why (pasted: $LAB_CLIENT_LAST_LINE)" >>"$out"
else
	echo "FAIL explain $key: $why (pasted: $LAB_CLIENT_LAST_LINE)" >>"$out"
fi
log_cause=$(tr ';' '\n' <<<"${want_server:-}" | sed -n 's/^[a-z_]*=\([a-z_]*\)@LAB_DIR\/auth\.log$/\1/p' | head -1)
if [ -n "$log_cause" ] && [ -r "${LAB_AUTH_LOG:-}" ]; then
	ej=$("$bin" explain --json - <"$LAB_AUTH_LOG" 2>/dev/null)
	if why=$(python3 -c 'import json,sys
o=json.loads(sys.argv[1]); c=[x["cause"] for x in o["causes"]]
if o["side"]!="server" or sys.argv[2] not in c: sys.exit("%s %s %s" % (o["side"], o["symptom"], c))
print(o["symptom"], c[:2])' "$ej" "$log_cause"); then
		echo "ok   explain $key auth.log: $why" >>"$out"
	else
		echo "FAIL explain $key auth.log: want $log_cause, got $why" >>"$out"
	fi
fi

# the bundle: taken in the server namespace right after the live run, unpacked, read with --root;
# it must give the live run's verdict, findings (layer, cause, severity, summary, evidence
# source/line/text) and layer statuses
btmp=$(mktemp -d /tmp/sshdiag-bundle.XXXXXX)
if ip netns exec "$LAB_SRV_NS" "$bin" bundle -o "$btmp/b.tar.gz" --port "$LAB_PORT" \
	${LAB_AUTH_LOG:+--log "$LAB_AUTH_LOG"} 2>"$btmp/err" &&
	mkdir "$btmp/root" && tar -xzf "$btmp/b.tar.gz" -C "$btmp/root" 2>>"$btmp/err"; then
	# the scenario's private host key never travels: no line of its body in the archive
	[ -f "$LAB_DIR/ssh_host_ed25519_key" ] && {
	leak=0
	zcat "$btmp/b.tar.gz" >"$btmp/b.tar"
	while IFS= read -r l; do
		case $l in -----* | "") ;; *) grep -qaF -- "$l" "$btmp/b.tar" && leak=1 ;; esac
	done <"$LAB_DIR/ssh_host_ed25519_key"
	if [ $leak = 0 ] && [ -f "$btmp/root$LAB_DIR/ssh_host_ed25519_key.pub" ] &&
		[ ! -e "$btmp/root$LAB_DIR/ssh_host_ed25519_key" ]; then
		echo "ok   bundle $key: no private host key, public part kept" >>"$out"
	else
		echo "FAIL bundle $key: private host key leaked or public part missing" >>"$out"
	fi
	}
	bj=$("$bin" server --json --root "$btmp/root" --client "$LAB_CLIENT_ADDR" --port "$LAB_PORT" 2>>"$btmp/err")
	brc=$?
	if why=$(python3 - "$sj" "$bj" "$rc" "$brc" 2>&1 <<'PY'
import json, sys
live, root = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def fnd(o):
    return [(f["layer"], f["cause"], f["severity"], f["summary"],
             [(e["source"], e.get("line"), e.get("text")) for e in f["evidence"]]) for f in o["findings"]]
def lay(o):
    return [(l["layer"], l["status"], l.get("note")) for l in o["layers"]]
bad = []
if live["verdict"] != root["verdict"] or sys.argv[3] != sys.argv[4]:
    bad.append(f"verdict live {live['verdict']} (exit {sys.argv[3]}), bundle {root['verdict']} (exit {sys.argv[4]})")
if lay(live) != lay(root):
    bad.append(f"layers live {lay(live)}, bundle {lay(root)}")
a, b = fnd(live), fnd(root)
for x in a:
    if x not in b:
        bad.append(f"only live: {x}")
for x in b:
    if x not in a:
        bad.append(f"only bundle: {x}")
if bad:
    sys.exit("; ".join(bad)[:3000])
print(f"{live['verdict']}, {len(a)} findings")
PY
	); then
		echo "ok   bundle $key: --root on the bundle = live ($why)" >>"$out"
	else
		echo "FAIL bundle $key: $why" >>"$out"
	fi
else
	echo "FAIL bundle $key: bundle not taken: $(head -c 300 "$btmp/err")" >>"$out"
fi
# with --client the bundle records the interface the client's packets arrive on, as the live
# run finds it (ip route get in the server namespace)
want_if=$(ip netns exec "$LAB_SRV_NS" ip -o route get "$LAB_CLIENT_ADDR" 2>/dev/null |
	sed -nE 's/.* dev ([^ ]+).*/\1/p')
ip netns exec "$LAB_SRV_NS" "$bin" bundle -o - --client "$LAB_CLIENT_ADDR" --port "$LAB_PORT" \
	${LAB_AUTH_LOG:+--log "$LAB_AUTH_LOG"} 2>/dev/null | tar -xzO sshdiag/firewall-iif.tsv \
	>"$btmp/iif" 2>/dev/null
got_if=$(cut -f2 "$btmp/iif")
if [ -n "$want_if" ] && [ "$(cut -f1 "$btmp/iif")" = "$LAB_CLIENT_ADDR" ] && [ "$got_if" = "$want_if" ]; then
	echo "ok   bundle $key: --client records interface $got_if" >>"$out"
else
	echo "FAIL bundle $key: --client recorded '$(tr '\t' ' ' <"$btmp/iif")', ip route get says '$want_if'" >>"$out"
fi
if [ -n "${SSHDIAG_BUNDLE_KEEP:-}" ]; then # debugging: keep the bundle and both answers
	printf '%s\n' "$sj" >"$btmp/live.json"
	printf '%s\n' "${bj:-}" >"$btmp/root.json"
	mv "$btmp" "$SSHDIAG_BUNDLE_KEEP/${LAB_SCENARIO}_${LAB_CHECK}"
fi
rm -rf "$btmp"
exit 0
