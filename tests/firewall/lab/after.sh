#!/usr/bin/env bash
# tests/firewall/lab/after.sh — a LAB_AFTER hook for tests/lab/run.sh: while a scenario is up,
# runs the firewall layer (fw-layer, as `sshdiag server --client` would) in the server
# namespace and checks it against expect.tsv; appends "ok"/"FAIL" lines to $FW_LAB_OUT.
#
#   FW_LAYER=/path/to/fw-layer FW_LAB_OUT=/tmp/out \
#     LAB_AFTER="bash tests/firewall/lab/after.sh" bash tests/lab/run.sh --only 04,05,...
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${FW_LAYER:?}
out=${FW_LAB_OUT:?}
key="${LAB_SCENARIO}/${LAB_CHECK}"
line=$(awk -F'\t' -v k="$key" '$1 == k' "$here/expect.tsv")
json=$(ip netns exec "$LAB_SRV_NS" "$bin" --client "$LAB_CLIENT_ADDR" --server "$LAB_SERVER_ADDR" \
    --port "$LAB_PORT" 2>/dev/null)
ip netns exec "$LAB_SRV_NS" "$bin" --text --client "$LAB_CLIENT_ADDR" --server "$LAB_SERVER_ADDR" \
    --port "$LAB_PORT" >"$LAB_DIR/fw-layer.txt" 2>&1
[[ -n "${FW_LAB_KEEP:-}" ]] && { mkdir -p "$FW_LAB_KEEP"; cp "$LAB_DIR/fw-layer.txt" "$FW_LAB_KEEP/${LAB_SCENARIO}-${LAB_CHECK}.txt"; }
if [[ -z "$line" ]]; then
    summary=$(python3 -c 'import json,sys
o=json.loads(sys.argv[1]); f=[x for x in o["findings"] if x["layer"]=="firewall"]
l=[x for x in o["layers"] if x["layer"]=="firewall"][0]
print(l["status"], f[0]["cause"] + " " + f[0]["severity"] + ": " + f[0]["summary"] if f else "no finding")' "$json" 2>/dev/null)
    echo "info $key: $summary (client saw: $LAB_CLIENT_LAST_LINE)" >>"$out"
    exit 0
fi
IFS=$'\t' read -r _ want_cause want_ev <<<"$line"
want_ev=${want_ev//\$\{C\}/$LAB_CLIENT_ADDR}
if why=$(python3 - "$json" "$want_cause" "$want_ev" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
cause, ev = sys.argv[2], sys.argv[3]
layer = [l for l in o["layers"] if l["layer"] == "firewall"][0]
if layer["status"] != "evaluated":
    sys.exit("firewall layer %s: %s" % (layer["status"], layer.get("note")))
f = [x for x in o["findings"] if x["layer"] == "firewall"]
if cause == "-":
    if f:
        sys.exit("unexpected %s: %s" % (f[0]["cause"], f[0]["summary"]))
    print("no firewall finding; %s" % layer.get("note", ""))
    sys.exit(0)
if not f:
    sys.exit("no firewall finding, want %s" % cause)
first = f[0]
if first["cause"] != cause:
    sys.exit("cause %s, want %s (%s)" % (first["cause"], cause, first["summary"]))
hay = "\n".join([first["summary"], first["client_sees"]] +
                ["%s:%s: %s" % (e["source"], e["line"], e["text"]) for e in first["evidence"]] +
                first["fix"])
missing = [w for w in ev.split("|") if w and w not in hay]
if missing:
    sys.exit("missing %r in:\n%s" % (missing, hay))
print("%s %s: %s" % (first["cause"], first["severity"], first["summary"]))
PY
); then
    echo "ok   $key: $why" >>"$out"
else
    echo "FAIL $key: $why" >>"$out"
fi
exit 0
