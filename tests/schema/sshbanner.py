#!/usr/bin/env python3
"""A loopback stand-in for an SSH server, for `sshdiag probe --json`: it sends an
identification string and a real KEXINIT packet, reads what the client sends for a moment,
then closes.  Prints the port it listens on, serves until killed or --max connections.
Binds 127.0.0.1 only."""
import argparse
import os
import socket
import struct
import threading


def kexinit():
    lists = [
        "curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com",
        "ssh-ed25519,rsa-sha2-512",
        "chacha20-poly1305@openssh.com,aes128-ctr",
        "chacha20-poly1305@openssh.com,aes128-ctr",
        "hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
        "hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
        "none,zlib@openssh.com",
        "none,zlib@openssh.com",
        "",
        "",
    ]
    payload = bytes([20]) + os.urandom(16)
    for l in lists:
        b = l.encode()
        payload += struct.pack(">I", len(b)) + b
    payload += b"\x00" + b"\x00\x00\x00\x00"
    pad = 8 - (5 + len(payload)) % 8
    if pad < 4:
        pad += 8
    return struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + b"\x00" * pad


def serve(conn):
    try:
        conn.settimeout(2)
        conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n")
        conn.sendall(kexinit())
        try:
            conn.recv(65536)
        except OSError:
            pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=50)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    print(s.getsockname()[1], flush=True)
    for _ in range(a.max):
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
