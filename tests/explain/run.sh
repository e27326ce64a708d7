#!/usr/bin/env bash
# sshdiag explain: the cases of cases.tsv (side, phase, cause order, what is extracted), every
# classified line of the logs corpus (explain must agree with the log classifier), the CLI
# contract of the command (stdin, exit codes, 80 columns, no network).
# Prints one line per failure and ends with `explain: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${SSHDIAG:-build/sshdiag}
exec python3 - "$bin" <<'PY'
import json, os, subprocess, sys

bin = sys.argv[1]
passed = failed = 0

def ok(name):
    global passed
    passed += 1

def bad(name, why):
    global failed
    failed += 1
    print(f"FAIL {name}: {why}")

def run(args, stdin=None):
    p = subprocess.run([bin, "explain"] + args, input=stdin, capture_output=True, timeout=20)
    return p.returncode, p.stdout.decode(), p.stderr.decode()

# 1. the cases
for raw in open("tests/explain/cases.tsv", encoding="utf-8"):
    raw = raw.rstrip("\n")
    if not raw or raw.startswith("#"):
        continue
    f = raw.split("\t")
    if len(f) != 6:
        bad(raw[:40], "malformed case line")
        continue
    name, text, side, phase, causes, seen = f
    text = text.replace("\\n", "\n")
    rc, out, err = run(["--json", "-"], text.encode())
    try:
        o = json.loads(out)
    except ValueError:
        bad(name, f"not JSON (exit {rc}): {err.strip()}")
        continue
    why = []
    if o["side"] != side:
        why.append(f"side {o['side']}, want {side}")
    if o["phase"] != phase:
        why.append(f"phase {o['phase']}, want {phase}")
    got = [c["cause"] for c in o["causes"]]
    want = [] if causes == "-" else causes.split(",")
    if want and got[:len(want)] != want:
        why.append(f"causes {got[:len(want)]}, want {want}")
    if not want and got:
        why.append(f"causes {got}, want none")
    if seen != "-":
        for kv in seen.split(";"):
            k, v = kv.split("=", 1)
            g = o["seen"].get(k)
            g = "" if g is None else str(g)
            if g != v:
                why.append(f"seen.{k} {g!r}, want {v!r}")
    want_rc = 3 if side == "unknown" else 0
    if rc != want_rc:
        why.append(f"exit {rc}, want {want_rc}")
    names = [c["cause"] for c in o["causes"]]
    if len(names) != len(set(names)):
        why.append(f"a cause twice: {names}")
    for c in o["causes"]:
        if not c["next"]["command"] or c["next"]["where"] not in ("client", "server"):
            why.append(f"cause {c['cause']} without a next command")
    # the same case as text: 80 columns (a pasted line is cut, commands are kept short)
    rc2, txt, _ = run(["-"], text.encode())
    wide = [l for l in txt.splitlines() if len(l) > 80]
    if wide:
        why.append(f"text wider than 80 columns: {wide[0]!r}")
    if rc2 != rc:
        why.append(f"text exit {rc2} differs from --json exit {rc}")
    if why:
        bad(name, "; ".join(why))
    else:
        ok(name)

# 2. the log corpus: every line the classifier gives a blocking or authentication class is
# explained as a server line about the same client
skip = {"none", "connection", "fail2ban_unban", "fail2ban_ignore", "sshguard_release"}
corpus = "tests/logs/corpus"
n_corpus = 0
for fn in sorted(os.listdir(corpus)):
    for raw in open(os.path.join(corpus, fn), encoding="utf-8", errors="replace"):
        raw = raw.rstrip("\n")
        if not raw or raw.startswith("#") or "\t" not in raw:
            continue
        meta, line = raw.split("\t", 1)
        cls, addr = (meta.split() + ["-", "-"])[:2]
        if cls in skip:
            continue
        n_corpus += 1
        rc, out, err = run(["--json", line])
        o = json.loads(out)
        name = f"corpus {fn}: {line[:60]}"
        if o["side"] != "server" or not o["recognised"]:
            bad(name, f"{cls}: side {o['side']}")
        elif addr != "-" and o["seen"]["client"] not in (addr, None):
            bad(name, f"{cls}: client {o['seen']['client']}, want {addr}")
        elif addr != "-" and cls not in ("session_crash",) and o["seen"]["client"] is None:
            bad(name, f"{cls}: no client, want {addr}")
        else:
            ok(name)
if n_corpus < 100:
    bad("corpus", f"only {n_corpus} corpus lines checked")

# 3. the command's contract
rc, out, err = run([])
(ok if rc == 2 else lambda n: bad(n, f"exit {rc}"))("no message is a usage error")
rc, out, err = run(["--bogus", "x"])
(ok if rc == 2 else lambda n: bad(n, f"exit {rc}"))("unknown option is a usage error")
rc, out, err = run(["--help"])
(ok if rc == 0 and "explain" in out else lambda n: bad(n, f"exit {rc}"))("--help")
rc, out, err = run(["Connection", "refused"])
(ok if rc == 0 and "not_listening" in out else lambda n: bad(n, f"exit {rc}"))("unquoted words are one message")
rc, out, err = run(["hello"])
(ok if rc == 3 and out.startswith("UNKNOWN") else lambda n: bad(n, f"exit {rc}"))("unknown message: exit 3, says so")
# a paste far over the 1 MiB bound: read up to the bound, still answers, bounded time
big = (b"debug1: nothing to see here\n" * 60000) + b"Connection refused\n"
rc, out, err = run(["--json", "-"], big)
o = json.loads(out) if rc in (0, 3) else {}
(ok if rc == 3 and o.get("input_lines", 0) <= 20000 else lambda n: bad(n, f"exit {rc} lines {o.get('input_lines')}"))("input bounded (1 MiB, 20000 lines)")
# hostile bytes: control characters never reach the terminal
rc, out, err = run(["-"], b"\x1b[31mConnection refused\x07 by \x00\xff\n")
(ok if rc == 0 and "\x1b" not in out and "\x07" not in out else lambda n: bad(n, f"exit {rc}"))("control characters are escaped")
# a host with shell metacharacters is not put into a command
rc, out, err = run(["--json", "ssh: connect to host $(reboot) port 22: Connection refused"])
o = json.loads(out)
cmds = [o["first"]["command"]] + [c["next"]["command"] for c in o["causes"]]
(ok if not any("$(" in c or "reboot" in c for c in cmds) else lambda n: bad(n, cmds[0]))("no shell metacharacters from the paste in commands")
# no network, no files: under strace when present
if subprocess.run(["sh", "-c", "command -v strace"], capture_output=True).returncode == 0:
    p = subprocess.run(["strace", "-f", "-e", "trace=socket,connect,openat,open", bin, "explain",
                        "ssh: connect to host 192.0.2.1 port 22: Connection refused"],
                       capture_output=True, timeout=20)
    calls = [l for l in p.stderr.decode().splitlines()
             if ("socket(" in l or "connect(" in l or "open" in l) and ".so" not in l
             and "/etc/ld.so" not in l and "locale" not in l and "/proc/" not in l and "/sys/" not in l]
    (ok if not calls else lambda n: bad(n, calls[0]))("no socket, no file opened")

print(f"explain: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
