#!/usr/bin/env python3
"""Lab log collector: writes auth.log-style lines

    Nov 24 03:00:00 lab sshd[1234]: message

to an output file (append, one flush per line), from two sources:

  --socket PATH   a private syslog socket (AF_UNIX datagram). The lab
                  bind-mounts it over /dev/log inside sshd's private mount
                  namespace, so sshd, sshd-session and libwrap (which calls
                  syslog() directly, e.g. "refused connect from ...") log
                  exactly as on a real Debian system, with their real PIDs.
                  The syslog header "<PRI>Mmm dd hh:mm:ss tag[pid]: " is
                  parsed; the time of receipt is used as the timestamp.
                  Messages without "[pid]" in their tag (syslog() without
                  openlog(LOG_PID), e.g. libwrap under sshd -e) get the
                  sender's PID from SCM_CREDENTIALS.
  --stdin-fifo P  plain lines (e.g. sshd -e stderr, "msg\\r\\n"): each line is
                  prefixed with "<tag>[<pid>]: ", pid read from --pid-file
                  (written by with-devlog.sh before it execs sshd) when
                  available, else the --pid value.

Runs until SIGTERM/SIGINT or --max-lifetime seconds (a safety bound).
Prints "ready" on stdout once the socket is bound.
"""
import argparse
import os
import re
import select
import signal
import socket
import struct
import sys
import time

SYSLOG_RE = re.compile(
    rb"^<(\d{1,3})>"                       # PRI
    rb"(?:[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d )?"  # RFC3164 timestamp
    rb"(.*)$", re.S)
TAG_RE = re.compile(r"^[^\s:\[]+(\[\d+\])?:")


def stamp(now=None):
    t = time.localtime(now if now is not None else time.time())
    # syslog style: "Nov  4 03:00:00" (day padded with a space)
    return time.strftime("%b ", t) + ("%2d" % t.tm_mday) + time.strftime(" %H:%M:%S", t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--socket")
    ap.add_argument("--stdin-fifo")
    ap.add_argument("--host", default="lab")
    ap.add_argument("--tag", default="sshd")
    ap.add_argument("--pid", default="0")
    ap.add_argument("--pid-file")
    ap.add_argument("--max-lifetime", type=float, default=900.0)
    a = ap.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    out = open(a.out, "a", buffering=1, encoding="utf-8", errors="replace")

    def emit(body):
        body = body.replace("\r", "").rstrip("\n")
        for line in body.split("\n"):
            if line:
                out.write("%s %s %s\n" % (stamp(), a.host, line))
        out.flush()

    def plain_pid():
        if a.pid_file:
            try:
                with open(a.pid_file) as f:
                    p = f.read().strip()
                if p.isdigit():
                    return p
            except OSError:
                pass
        return a.pid

    socks = []
    if a.socket:
        try:
            os.unlink(a.socket)
        except FileNotFoundError:
            pass
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        # learn the sender's PID, for messages logged without openlog(LOG_PID)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        s.bind(a.socket)
        os.chmod(a.socket, 0o666)
        socks.append(s)
    fifo = None
    buf = b""
    if a.stdin_fifo:
        # O_RDWR: never sees EOF while we hold the write side ourselves.
        fifo = os.open(a.stdin_fifo, os.O_RDWR | os.O_NONBLOCK)
    print("ready", flush=True)

    deadline = time.monotonic() + a.max_lifetime
    while not stop and time.monotonic() < deadline:
        rl = list(socks) + ([fifo] if fifo is not None else [])
        try:
            r, _, _ = select.select(rl, [], [], 0.5)
        except InterruptedError:
            continue
        for x in r:
            if x is fifo:
                try:
                    data = os.read(fifo, 65536)
                except BlockingIOError:
                    continue
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    line = line.rstrip(b"\r").decode("utf-8", "replace")
                    if line:
                        emit("%s[%s]: %s" % (a.tag, plain_pid(), line))
            else:
                data, anc, _, _ = x.recvmsg(65536, socket.CMSG_SPACE(12))
                sender = None
                for level, typ, cdata in anc:
                    if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
                        sender = struct.unpack("iII", cdata[:12])[0]
                m = SYSLOG_RE.match(data)
                body = (m.group(2) if m else data).decode("utf-8", "replace")
                body = body.replace("\r", "").rstrip("\n")
                t = TAG_RE.match(body)
                if not t:
                    body = "%s[%s]: %s" % (a.tag, sender or plain_pid(), body)
                elif not t.group(1) and sender:
                    # "sshd: msg" (no LOG_PID) -> "sshd[<sender pid>]: msg"
                    tag = body[:t.end() - 1]
                    body = "%s[%d]:%s" % (tag, sender, body[t.end():])
                emit(body)
    if buf.strip():
        emit("%s[%s]: %s" % (a.tag, plain_pid(), buf.decode("utf-8", "replace")))
    out.close()
    if a.socket:
        try:
            os.unlink(a.socket)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
