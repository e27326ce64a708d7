#!/usr/bin/env python3
"""The peer for the probe benchmark: a minimal asyncio banner + KEXINIT reader.
Usage: asyncio_probe.py TARGETS_FILE (one address per line, port 22)."""
import asyncio
import struct
import sys


async def probe(addr, sem):
    async with sem:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(addr, 22), 10)
            w.write(b"SSH-2.0-asyncio\r\n")
            while True:
                line = await asyncio.wait_for(r.readline(), 10)
                if not line or line.startswith(b"SSH-"):
                    break
            head = await asyncio.wait_for(r.readexactly(5), 10)
            length = struct.unpack(">I", head[:4])[0]
            await asyncio.wait_for(r.readexactly(length - 1), 10)
            w.close()
            return f"{addr} ok"
        except Exception as e:  # noqa: BLE001 - the benchmark only counts outcomes
            return f"{addr} fail {type(e).__name__}"


async def main():
    addrs = open(sys.argv[1]).read().split()
    sem = asyncio.Semaphore(256)
    for line in await asyncio.gather(*(probe(a, sem) for a in addrs)):
        print(line)


asyncio.run(main())
