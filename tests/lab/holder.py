#!/usr/bin/env python3
"""Open N TCP connections to an SSH server, read the server's banner on each
(proof that sshd accepted the connection and started a pre-auth child), then
hold them open without ever authenticating (not even sending a client
banner) for --hold seconds or until SIGTERM. --hold 0 closes right after the
banner (a "connect and go away" probe, e.g. to earn a PerSourcePenalties
noauth penalty).

Once all banners are read it writes "held N" to --ready-file (atomically), so
the lab can wait for it with a bounded poll. Exit status 0 on success, 1 if a
connection or banner read failed. Always bounded: every socket operation has
a timeout and the hold has a maximum.
"""
import argparse
import os
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=22)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--hold", type=float, default=60.0)
    ap.add_argument("--ready-file")
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args()
    hold = max(0.0, min(a.hold, 600.0))

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    socks = []
    rc = 0
    try:
        for i in range(a.count):
            s = socket.create_connection((a.host, a.port), timeout=a.timeout)
            banner = b""
            deadline = time.monotonic() + a.timeout
            while b"\n" not in banner and time.monotonic() < deadline:
                chunk = s.recv(256)
                if not chunk:
                    break
                banner += chunk
            line = banner.split(b"\n", 1)[0].rstrip(b"\r").decode("ascii", "replace")
            if not line.startswith("SSH-"):
                print("holder: connection %d: no SSH banner (%r)" % (i + 1, banner[:80]),
                      file=sys.stderr, flush=True)
                rc = 1
                break
            print("holder: connection %d from %s: %s" % (i + 1, s.getsockname(), line),
                  flush=True)
            socks.append(s)
    except OSError as e:
        print("holder: %s" % e, file=sys.stderr, flush=True)
        rc = 1
    if a.ready_file:
        tmp = a.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("held %d\n" % len(socks) if rc == 0 else "failed %d\n" % len(socks))
        os.rename(tmp, a.ready_file)
    deadline = time.monotonic() + hold
    while rc == 0 and not stop and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    for s in socks:
        s.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
