#!/usr/bin/env bash
# The JSON schemas of docs/schema/ against real output: server, logs and sshd-config on a test
# tree (--root), explain on every case of tests/explain/cases.tsv, probe against a loopback
# stand-in that speaks SSH (tests/schema/sshbanner.py) and against a closed port.  Every
# document must validate; deliberately broken documents must not; the schemas' enums must
# equal the vocabularies in the sources (causes, outcomes, log classes, ...), and docs/json.md
# must name every cause.  Ends with `schema: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${SSHDIAG:-build/sshdiag}
tmp=$(mktemp -d /tmp/sshdiag-schema.XXXXXX)
srv_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
out="$tmp/out"
mkdir -p "$out"

# a test tree: sshd (the system's, linked with libwrap), a config with admission limits and a
# Match block, hosts.deny, an auth.log with lab lines
root="$tmp/root"
mkdir -p "$root/etc/ssh" "$root/usr/sbin" "$root/var/log" "$root/run/sshd"
cp /usr/sbin/sshd "$root/usr/sbin/sshd"
printf '%s\n' 'Port 22' 'MaxStartups 3:30:10' 'PerSourceMaxStartups 2' 'LoginGraceTime 30' \
	'Match Address 203.0.113.0/24' '  PasswordAuthentication no' >"$root/etc/ssh/sshd_config"
printf 'sshd: 203.0.113.7\n' >"$root/etc/hosts.deny"
log="$root/var/log/auth.log"
printf '%s\n' 'Nov 24 04:43:38 lab sshd[19430]: refused connect from 203.0.113.7 (203.0.113.7)' \
	'Nov 24 04:43:46 lab sshd[20100]: drop connection #2 from [203.0.113.7]:37418 on [192.0.2.1]:22 past MaxStartups' \
	'Nov 24 04:43:47 lab sshd[20101]: Invalid user bob from 198.51.100.7 port 4242' \
	'Nov 24 04:43:48 lab sshd[20102]: error: beginning MaxStartups throttling' \
	'Nov 24 04:43:49 lab sshd-session[20103]: administratively prohibited connection for invalid user bob from 203.0.113.7 port 4243' >"$log"

"$bin" server --root "$root" --client 203.0.113.7 --user bob --json >"$out/server-client.json"
"$bin" server --root "$root" --json >"$out/server-all.json"
"$bin" server --root "$root" --client 2001:db8::7 --port 2222 --json >"$out/server-v6.json"
"$bin" logs --json "$log" >"$out/logs.json"
"$bin" logs --json --client 203.0.113.7 "$log" >"$out/logs-client.json"
"$bin" sshd-config --root "$root" --client 203.0.113.7 --user bob --json >"$out/sshd-config.json"
"$bin" sshd-config --root "$root" --all --json >"$out/sshd-config-all.json"
n=0
while IFS=$'\t' read -r name text _; do
	case $name in '#'* | '') continue ;; esac
	printf '%b' "${text//\\n/\\n}" | "$bin" explain --json - >"$out/explain-$n.json"
	n=$((n + 1))
done <tests/explain/cases.tsv

# probe: a loopback stand-in that speaks SSH (banner, KEXINIT), and a closed port
python3 tests/schema/sshbanner.py --max 20 >"$tmp/port" 2>"$tmp/sshbanner.err" </dev/null &
srv_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
"$bin" probe --json -n 2 -t 2000 "127.0.0.1:$port" >"$out/probe-ssh.jsonl"
"$bin" probe --json -n 1 -t 2000 --no-deep "127.0.0.1:$port" >"$out/probe-nodeep.jsonl"
"$bin" probe --json -n 1 127.0.0.1:1 >"$out/probe-refused.jsonl"

# the python that has jsonschema (Debian's python3-jsonschema is for /usr/bin/python3)
py=python3
for c in python3 /usr/bin/python3; do
	if "$c" -c 'import jsonschema' 2>/dev/null; then
		py=$c
		break
	fi
done
"$py" - "$out" <<'PY'
import glob, json, os, re, sys

out = sys.argv[1]
passed = failed = 0

def ok(name):
    global passed
    passed += 1
    print(f"ok   {name}")

def bad(name, why=""):
    global failed
    failed += 1
    print(f"FAIL {name} {why}")

try:
    import jsonschema
except ImportError:
    bad("python3-jsonschema is installed (scripts/deps.sh)")
    print(f"schema: {passed} passed, {failed} failed")
    sys.exit(1)

schemas = {}
for f in sorted(glob.glob("docs/schema/*.schema.json")):
    name = os.path.basename(f)[: -len(".schema.json")]
    s = json.load(open(f))
    try:
        jsonschema.Draft202012Validator.check_schema(s)
        ok(f"{name}: a valid JSON Schema (2020-12)")
    except jsonschema.SchemaError as e:
        bad(f"{name}: not a valid schema", e.message)
    schemas[name] = jsonschema.Draft202012Validator(s)
for need in ("server", "probe", "logs", "sshd-config", "explain"):
    if need not in schemas:
        bad(f"docs/schema/{need}.schema.json exists")

def docs_of(path):
    txt = open(path).read()
    if path.endswith(".jsonl"):
        return [json.loads(l) for l in txt.splitlines() if l.strip()]
    return [json.loads(txt)]

def validate(schema, doc):
    return sorted(schemas[schema].iter_errors(doc), key=lambda e: list(e.path))

kinds = [("server", "server-*.json"), ("logs", "logs*.json"), ("sshd-config", "sshd-config*.json"),
         ("explain", "explain-*.json"), ("probe", "probe-*.jsonl")]
real = {}
for schema, pat in kinds:
    files = sorted(glob.glob(os.path.join(out, pat)))
    if not files:
        bad(f"{schema}: no output produced")
    nbad = 0
    for f in files:
        for d in docs_of(f):
            real.setdefault(schema, []).append(d)
            errs = validate(schema, d)
            if errs:
                nbad += 1
                bad(f"{schema}: {os.path.basename(f)} validates",
                    f"at {list(errs[0].path)}: {errs[0].message[:160]}")
    if files and not nbad:
        ok(f"{schema}: {len(real.get(schema, []))} real documents validate")

# the outputs exercised the interesting branches (else the validation proves little)
def has(schema, pred, what):
    if any(pred(d) for d in real.get(schema, [])):
        ok(f"{schema}: output includes {what}")
    else:
        bad(f"{schema}: output includes {what}")

has("server", lambda d: any(f["evidence"] for f in d["findings"]), "findings with evidence")
has("server", lambda d: d["client"] is None, "a report without --client")
has("server", lambda d: d["client"] is None and any(b["layer"] == "tcp_wrappers" for b in d["blocked"]), "a who-is-blocked row")
has("logs", lambda d: "client" in d and d["client"]["timeline"], "a client timeline")
has("sshd-config", lambda d: any(o["default"] for o in d["options"]), "default values (--all)")
has("probe", lambda d: d["kexinit"] is not None and d["deep"] is not None, "a KEXINIT and the deep stage")
has("probe", lambda d: d["outcome"] == "refused", "a refused port")
has("explain", lambda d: not d["recognised"], "an unrecognised message")
has("explain", lambda d: d["side"] == "server", "a server line")

# broken documents must fail
import copy
def mutate(schema, f, what):
    base = copy.deepcopy(real[schema][0])
    try:
        f(base)
    except (KeyError, IndexError, TypeError) as e:
        bad(f"{schema}: broken document '{what}' could be made", repr(e))
        return
    if validate(schema, base):
        ok(f"{schema}: rejects {what}")
    else:
        bad(f"{schema}: rejects {what}")

def setk(k, v):
    return lambda d: d.__setitem__(k, v)
def delk(k):
    return lambda d: d.__delitem__(k)

mutate("server", setk("verdict", "maybe"), "an unknown verdict")
mutate("server", delk("layers"), "a missing layers array")
mutate("server", lambda d: d["findings"][0].__setitem__("cause", "bad_luck"), "an unknown cause")
mutate("server", lambda d: d["findings"][0].__setitem__("severity", "fatal"), "an unknown severity")
mutate("server", lambda d: d["layers"][0].__setitem__("status", "fine"), "an unknown layer status")
mutate("server", setk("port", "22"), "a port as a string")
mutate("probe", setk("outcome", "blocked"), "an unknown outcome")
mutate("probe", lambda d: d["likely_causes"].append({"cause": "gremlins", "why": "x"}), "an unknown likely cause")
mutate("probe", lambda d: d["attempts"][0]["timings"].__setitem__("connect_ms", -1), "a negative time")
mutate("logs", lambda d: d["totals"].__setitem__("bogus_class", 1), "an unknown log class")
mutate("logs", lambda d: d["sources"][0].__setitem__("state", "fine"), "an unknown source state")
mutate("sshd-config", setk("valid", "yes"), "valid as a string")
mutate("sshd-config", lambda d: d["options"][0].__delitem__("origin"), "an option without origin")
mutate("explain", setk("phase", "handshake"), "an unknown phase")
mutate("explain", setk("side", "both"), "an unknown side")
mutate("explain", lambda d: d.__setitem__("causes", [{"cause": "not_listening", "why": "x", "next": {"where": "moon", "command": "x"}}]), "a command for an unknown machine")

# the schemas' enums are the vocabularies of the sources
def src_names(path, prefix):
    return re.findall(r'X\(%s\w+, "(\w+)"' % prefix, open(path).read())

def enum_at(schema, *path):
    s = json.load(open(f"docs/schema/{schema}.schema.json"))
    for p in path:
        s = s[p]
    return [e for e in s["enum"] if e is not None]

def same(name, got, want):
    if got == want:
        ok(f"{name} ({len(want)} names)")
    else:
        bad(name, f"schema has {sorted(set(got) ^ set(want))} differently")

causes = src_names("src/core/causes.h", "CAUSE_")
same("server: cause enum = src/core/causes.h", enum_at("server", "properties", "findings", "items", "properties", "cause"), causes)
same("probe: cause enum = src/core/causes.h", enum_at("probe", "properties", "likely_causes", "items", "properties", "cause"), causes)
same("explain: cause enum = src/core/causes.h", enum_at("explain", "properties", "causes", "items", "properties", "cause"), causes)
layers = re.findall(r'X\(LAYER_\w+, "(\w+)", "', open("src/core/causes.h").read())
same("server: layer enum = src/core/causes.h", enum_at("server", "properties", "layers", "items", "properties", "layer"), layers)
same("server: layer status enum = src/core/causes.h", enum_at("server", "properties", "layers", "items", "properties", "status"), re.findall(r'X\(LAYER_\w+, "(\w+)"\)', open("src/core/causes.h").read()))
same("server: verdict enum = src/core/causes.h", enum_at("server", "properties", "verdict"), src_names("src/core/causes.h", "VERDICT_"))
same("server: severity enum = src/core/causes.h", enum_at("server", "properties", "findings", "items", "properties", "severity"), src_names("src/core/causes.h", "SEVERITY_"))
same("probe: outcome enum = src/probe/outcome.h", enum_at("probe", "properties", "outcome"), src_names("src/probe/outcome.h", "OUTCOME_"))
same("logs: class enum = src/logs/line.h", enum_at("logs", "properties", "totals", "propertyNames"), src_names("src/logs/line.h", "LC_"))
same("logs: kind enum = src/logs/summary.h", enum_at("logs", "properties", "windows", "items", "properties", "kind"), src_names("src/logs/summary.h", "LK_"))
syms = []
for s in re.findall(r'\[S_\w+\] =\s*\{"(\w+)"', open("src/explain/explain.c").read()):
    if s not in syms:
        syms.append(s)
same("explain: symptom enum = src/explain/explain.c", enum_at("explain", "properties", "symptom"), syms)

doc = open("docs/json.md").read()
# the worked examples of docs/json.md are real documents too
examples = re.findall(r"```json\n(.*?)\n```", doc, re.S)
for i, (block, schema) in enumerate(zip(examples, ["server", "explain"])):
    errs = validate(schema, json.loads(block))
    if errs:
        bad(f"docs/json.md example {i + 1} ({schema}) validates", errs[0].message[:160])
    else:
        ok(f"docs/json.md example {i + 1} ({schema}) validates")
if len(examples) != 2:
    bad("docs/json.md has its two examples", f"found {len(examples)}")
missing = [c for c in causes if f"`{c}`" not in doc]
if missing:
    bad("docs/json.md names every cause", f"missing {missing}")
else:
    ok("docs/json.md names every cause")
missing = [c for c in syms if f"`{c}`" not in doc]
if missing:
    bad("docs/json.md names every explain symptom", f"missing {missing}")
else:
    ok("docs/json.md names every explain symptom")

print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
