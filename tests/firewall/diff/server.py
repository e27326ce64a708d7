#!/usr/bin/env python3
"""A banner server for the firewall differential test: accepts on every given
port (IPv4 and IPv6), sends an OpenSSH-sized version string, waits for the
client's, answers it with a second line of the same size (as sshd goes on to
key exchange only once it has the client's version), then waits for the client
to close. Bounded: exits after --max-lifetime seconds."""
import argparse
import asyncio
import socket

# 40 bytes, as OpenSSH 9.2 on Debian 12 prints it: the packet lengths the model uses
VERSION = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


async def handle(reader, writer):
    try:
        writer.write(VERSION)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout=10)
        if line.startswith(b"SSH-"):
            writer.write(VERSION)
            await writer.drain()
        await asyncio.wait_for(reader.read(1), timeout=10)
    except Exception:
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, action="append", required=True)
    ap.add_argument("--max-lifetime", type=float, default=600)
    ap.add_argument("--ready", required=True, help="file to create once listening")
    a = ap.parse_args()
    servers = []
    for port in a.port:
        for fam, host in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((host, port))
            s.listen(4096)
            s.setblocking(False)
            servers.append(await asyncio.start_server(handle, sock=s, backlog=4096))
    with open(a.ready, "w") as f:
        f.write("ready\n")
    await asyncio.sleep(a.max_lifetime)


asyncio.run(main())
