#!/usr/bin/env python3
"""Connects from many local source addresses at once, without blocking, and
says what each client saw. Input lines: "SRC DST PORT". Output lines:
"SRC DST PORT OUTCOME" with OUTCOME one of connects, refused, timeout,
no_route, net_unreach, proto, perm, reset, hang, error:<errno>.

Like ssh, a client sends its version string as soon as it is connected; it
"connects" only when the server has answered it (the server's version string,
then a second line that proves ours arrived).

A connect that does not finish within --connect-timeout is "timeout"; a
connected socket that gets no banner within --banner-timeout is "hang", one
that is reset is "reset"."""
import argparse
import errno
import selectors
import socket
import sys
import time

VERSION = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"

ERRNO_NAMES = {
    errno.ECONNREFUSED: "refused",
    errno.ETIMEDOUT: "timeout",
    errno.EHOSTUNREACH: "no_route",
    errno.ENETUNREACH: "net_unreach",
    errno.ENOPROTOOPT: "proto",
    errno.EACCES: "perm",
    errno.EPERM: "perm",
    errno.ECONNRESET: "reset",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect-timeout", type=float, default=1.2)
    ap.add_argument("--banner-timeout", type=float, default=1.2)
    a = ap.parse_args()
    sel = selectors.DefaultSelector()
    cases = [l.split() for l in sys.stdin if l.strip()]
    results = {}
    state = {}
    got = {}
    start = time.monotonic()
    for i, (src, dst, port) in enumerate(cases):
        fam = socket.AF_INET6 if ":" in src else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((src, 0))
        err = s.connect_ex((dst, int(port)))
        if err not in (0, errno.EINPROGRESS):
            results[i] = ERRNO_NAMES.get(err, "error:%d" % err)
            s.close()
            continue
        state[i] = ("connecting", start)
        sel.register(s, selectors.EVENT_WRITE, i)
    deadline_c = start + a.connect_timeout
    while state:
        now = time.monotonic()
        pending_connect = any(st[0] == "connecting" for st in state.values())
        timeout = None
        ends = []
        for i, (st, t0) in state.items():
            ends.append(deadline_c if st == "connecting" else t0 + a.banner_timeout)
        timeout = max(0.0, min(ends) - now)
        for key, _ in sel.select(timeout):
            s, i = key.fileobj, key.data
            st, t0 = state[i]
            if st == "connecting":
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    results[i] = ERRNO_NAMES.get(err, "error:%d" % err)
                    sel.unregister(s)
                    s.close()
                    del state[i]
                    continue
                try:
                    s.send(VERSION)
                except OSError as e:
                    results[i] = ERRNO_NAMES.get(e.errno, "error:%d" % e.errno)
                    sel.unregister(s)
                    s.close()
                    del state[i]
                    continue
                sel.modify(s, selectors.EVENT_READ, i)
                state[i] = ("banner", time.monotonic())
            else:
                try:
                    data = s.recv(256)
                except OSError as e:
                    results[i] = ERRNO_NAMES.get(e.errno, "error:%d" % e.errno)
                    data = None
                if data is not None:
                    got[i] = got.get(i, b"") + data
                    if len(got[i]) < 2 * len(VERSION) and data:
                        continue  # the answer to our version string is still to come
                    results[i] = "connects" if got[i].startswith(b"SSH-") and data else "closed"
                sel.unregister(s)
                s.close()
                del state[i]
        now = time.monotonic()
        for i in list(state):
            st, t0 = state[i]
            end = deadline_c if st == "connecting" else t0 + a.banner_timeout
            if now >= end:
                key = [k for k in sel.get_map().values() if k.data == i][0]
                s = key.fileobj
                if st == "connecting":
                    results[i] = "timeout"
                else:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    results[i] = ERRNO_NAMES.get(err, "error:%d" % err) if err else "hang"
                sel.unregister(s)
                s.close()
                del state[i]
    for i, (src, dst, port) in enumerate(cases):
        print(src, dst, port, results.get(i, "error"))


main()
