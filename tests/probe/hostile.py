#!/usr/bin/env python3
"""Hostile and odd servers against `sshdiag probe`: each must get a clear outcome within the
timeout, and the prober's peak RSS must stay under a fixed bound.

A tiny server of ours listens on 127.0.0.1 (one port per behaviour).  Ends with
`hostile: N passed, N failed`.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

BIN = os.environ.get("SSHDIAG", "build/sshdiag")
RSS_LIMIT_KIB = 8 * 1024  # 4.8 MiB is libc, libcrypto and libssh mapped in
BANNER = b"SSH-2.0-OpenSSH_9.9 hostile\r\n"


def ssh_string(b):
    return struct.pack(">I", len(b)) + b


def packet(payload):
    pad = 8 - ((len(payload) + 5) % 8)
    if pad < 4:
        pad += 8
    return struct.pack(">IB", len(payload) + 1 + pad, pad) + payload + b"\0" * pad


def kexinit(lists=None):
    lists = lists or [b"curve25519-sha256,kex-strict-s-v00@openssh.com", b"ssh-ed25519",
                      b"aes128-ctr", b"aes128-ctr", b"hmac-sha2-256", b"hmac-sha2-256",
                      b"none", b"none", b"", b""]
    return packet(bytes([20]) + b"\x11" * 16 + b"".join(ssh_string(x) for x in lists) + b"\0" + b"\0" * 4)


def read_line(c):
    try:
        c.settimeout(2)
        c.recv(256)
    except OSError:
        pass


def b_trickle(c):
    for ch in BANNER:
        c.sendall(bytes([ch]))
        time.sleep(1)


def b_endless_lines(c):
    line = b"hello, this is not ssh\r\n" * 200
    for _ in range(2000):
        c.sendall(line)


def b_huge_line(c):
    chunk = b"A" * 65536
    for _ in range(160):  # 10 MiB without a newline
        c.sendall(chunk)


def b_packet_2_31(c):
    c.sendall(BANNER + struct.pack(">I", 2 ** 31) + b"\x04" + b"\0" * 64)
    time.sleep(3)


def b_bad_namelist(c):
    bad = [b"curve25519-sha256,,x", b"ssh-ed25519", b"a", b"a", b"h", b"h", b"none", b"none", b"", b""]
    c.sendall(BANNER + kexinit(bad))
    time.sleep(3)


def b_nonascii_namelist(c):
    bad = [b"curve\xff", b"ssh-ed25519", b"a", b"a", b"h", b"h", b"none", b"none", b"", b""]
    c.sendall(BANNER + kexinit(bad))
    time.sleep(3)


def b_http(c):
    read_line(c)
    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def b_tls(c):
    read_line(c)
    c.sendall(b"\x15\x03\x03\x00\x02\x02\x46")


def b_smtp(c):
    c.sendall(b"220 mail.example ESMTP ready\r\n")
    read_line(c)
    c.sendall(b"500 5.5.1 unrecognized command\r\n")


def b_maxstartups(c):
    c.sendall(b"Exceeded MaxStartups\r\n")


def b_close_after_read(c):
    read_line(c)  # no unread data: the close is an orderly FIN


def b_reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def b_banner_then_close(c):
    c.sendall(BANNER)
    read_line(c)


def b_disconnect(c):
    msg = bytes([1]) + struct.pack(">I", 2) + ssh_string(b"go away\x07\x1b[31m") + ssh_string(b"")
    c.sendall(BANNER + packet(msg))
    read_line(c)


def b_no_kexinit(c):
    c.sendall(BANNER)
    time.sleep(4)


def b_ssh1(c):
    c.sendall(b"SSH-1.5-old\r\n")
    read_line(c)


def b_good(c):
    c.sendall(BANNER + kexinit())
    read_line(c)


CASES = [
    # name, behaviour, expected outcome, extra check on the JSON object
    ("trickle", b_trickle, "timeout_banner", None),
    ("endless pre-banner lines", b_endless_lines, "not_ssh", lambda o: o["banner"]["pre_banner_line_count"] > 1024),
    ("10 MiB banner line", b_huge_line, "not_ssh", None),
    ("packet length 2^31", b_packet_2_31, "protocol_error", None),
    ("empty name in a name-list", b_bad_namelist, "protocol_error", None),
    ("non-ASCII name", b_nonascii_namelist, "protocol_error", None),
    ("HTTP", b_http, "not_ssh", lambda o: o["banner"]["not_ssh_kind"] == "http"),
    ("TLS alert", b_tls, "not_ssh", lambda o: o["banner"]["not_ssh_kind"] == "tls"),
    ("SMTP", b_smtp, "not_ssh", lambda o: o["banner"]["not_ssh_kind"] == "smtp"),
    ("Exceeded MaxStartups", b_maxstartups, "refused_by_sshd",
     lambda o: o["banner"]["pre_banner_lines"] == ["Exceeded MaxStartups"]),
    ("orderly close before banner", b_close_after_read, "closed_before_banner", None),
    ("reset before banner", b_reset, "reset_before_banner", None),
    ("close after banner", b_banner_then_close, "closed_after_banner", None),
    ("disconnect with escape codes", b_disconnect, "closed_after_banner",
     lambda o: "\x1b" not in o["banner"]["disconnect"] and "go away" in o["banner"]["disconnect"]),
    ("no KEXINIT", b_no_kexinit, "timeout_kexinit", None),
    ("SSH-1.5", b_ssh1, "protocol_error", None),
    ("good KEXINIT", b_good, "ok", lambda o: o["kexinit"]["strict_kex"] is True),
]


def serve(sock, behaviour, stop):
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            c, _ = sock.accept()
        except socket.timeout:
            continue
        except OSError:
            return
        try:
            behaviour(c)
        except OSError:
            pass
        finally:
            c.close()


def main():
    passed = failed = 0
    rss_file = f"/tmp/sshdiag-hostile-rss.{os.getpid()}"
    stop = threading.Event()
    threads = []
    for name, behaviour, want, check in CASES:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        port = s.getsockname()[1]
        t = threading.Thread(target=serve, args=(s, behaviour, stop), daemon=True)
        t.start()
        threads.append((t, s))
        t0 = time.monotonic()
        # GNU time measures the prober alone (a fork of this Python would count Python's pages)
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, BIN, "probe", "--json", "--no-deep", "-n", "1", "-t", "1000",
                            f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=30)
        took = time.monotonic() - t0
        with open(rss_file) as f:
            rss = int(f.read().split()[-1])
        problems = []
        try:
            o = json.loads(p.stdout.splitlines()[0])
        except (ValueError, IndexError):
            o = None
            problems.append(f"no JSON (exit {p.returncode}): {p.stderr[:200]!r}")
        if o is not None:
            if o["outcome"] != want:
                problems.append(f"outcome {o['outcome']}, want {want}")
            elif check and not check(o):
                problems.append("detail check failed: " + json.dumps(o)[:300])
        if took > 6:
            problems.append(f"took {took:.1f} s")
        if rss > RSS_LIMIT_KIB:
            problems.append(f"peak RSS {rss} KiB > {RSS_LIMIT_KIB} KiB")
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {name}: {want} in {took:.2f} s, peak RSS {rss} KiB")
    stop.set()
    for t, s in threads:
        s.close()
    if os.path.exists(rss_file):
        os.unlink(rss_file)
    print(f"hostile: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
