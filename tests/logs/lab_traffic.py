#!/usr/bin/env python3
"""Pre-authentication traffic that makes a real sshd write the log lines the corpus needs
(tests/logs/lab-corpus.sh runs it inside a lab client namespace while a scenario is up):

  garbage   send an HTTP request instead of an SSH banner
  close     connect and close at once, nothing sent
  reset     connect and reset (SO_LINGER 0)
  banner    send a banner, then close before KEXINIT
  burst N   open N connections at once and hold them 3 s (MaxStartups drops)

Every socket operation has a timeout; the script never waits longer than a few seconds.
"""
import socket
import struct
import sys
import time


def conn(host, port, timeout=3.0):
    s = socket.create_connection((host, port), timeout=timeout)
    s.settimeout(timeout)
    return s


def main():
    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "garbage":
        s = conn(host, port)
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        try:
            s.recv(4096)
            s.recv(4096)
        except OSError:
            pass
        s.close()
    elif mode == "close":
        conn(host, port).close()
    elif mode == "reset":
        s = conn(host, port)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.2)
        s.close()
    elif mode == "banner":
        s = conn(host, port)
        try:
            s.recv(256)
        except OSError:
            pass
        s.sendall(b"SSH-2.0-sshdiag_corpus\r\n")
        time.sleep(0.2)
        s.close()
    elif mode == "burst":
        n = int(sys.argv[4])
        socks = []
        for _ in range(n):
            try:
                socks.append(conn(host, port, 1.0))
            except OSError:
                pass
        time.sleep(3.0)
        for s in socks:
            s.close()
    else:
        print("unknown mode", mode, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
