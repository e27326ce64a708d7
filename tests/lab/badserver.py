#!/usr/bin/env python3
"""A non-SSH service for the "wrong service on the SSH port" scenario.

Behaves like a typical web server receiving an SSH client: it reads the
client's first line (the SSH client sends its version string right after
connecting), answers with an nginx-style "400 Bad Request" page and closes.
Connections are handled one at a time; every read has a timeout and the whole
process exits after --lifetime seconds or on SIGTERM.

Prints "ready" on stdout once listening.
"""
import argparse
import select
import signal
import socket
import sys
import time

BODY = (b"<html>\r\n<head><title>400 Bad Request</title></head>\r\n"
        b"<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
        b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
RESPONSE = (b"HTTP/1.1 400 Bad Request\r\n"
            b"Server: nginx\r\n"
            b"Content-Type: text/html\r\n"
            b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"
            b"Connection: close\r\n"
            b"\r\n" + BODY)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, default=22)
    ap.add_argument("--lifetime", type=float, default=300.0)
    a = ap.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(16)
    print("ready", flush=True)
    deadline = time.monotonic() + min(a.lifetime, 900.0)
    while not stop and time.monotonic() < deadline:
        try:
            r, _, _ = select.select([ls], [], [], 0.5)
        except InterruptedError:
            continue
        if not r:
            continue
        c, peer = ls.accept()
        c.settimeout(2.0)
        data = b""
        try:
            while b"\n" not in data and len(data) < 8192:
                chunk = c.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        first = data.split(b"\n", 1)[0].rstrip(b"\r")
        print("badserver: %s:%d sent %r" % (peer[0], peer[1], first[:100]), flush=True)
        try:
            c.sendall(RESPONSE)
        except OSError:
            pass
        c.close()
    ls.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
