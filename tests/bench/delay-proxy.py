#!/usr/bin/env python3
"""A slow link to a shop, for the benches: a loopback TCP proxy that hands
on every piece of the shop's replies DELAY_MS after it arrived, in order
(latency, not bandwidth: a far shop, or a poor Wi-Fi). Requests go through
at once. Prints "listening on http://127.0.0.1:PORT" when ready.

    delay-proxy.py TARGET_PORT DELAY_MS
"""
import asyncio
import sys

CHUNK = 64 * 1024


async def pipe(reader, writer, delay):
    """Copies reader to writer, each chunk delay seconds late."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def late_writer():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(late_writer())
    try:
        while True:
            data = await reader.read(CHUNK)
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await sender
    except (ConnectionError, asyncio.CancelledError):
        sender.cancel()
    finally:
        writer.close()


async def serve(target_port, delay):
    async def client(c_reader, c_writer):
        try:
            s_reader, s_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            c_writer.close()
            return
        await asyncio.gather(pipe(c_reader, s_writer, 0), pipe(s_reader, c_writer, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(client, "127.0.0.1", 0)
    print("listening on http://127.0.0.1:%d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: delay-proxy.py TARGET_PORT DELAY_MS")
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2]) / 1000))
