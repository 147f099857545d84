#!/usr/bin/env python3
"""TCP fault proxy (asyncio, standard library only) to put in front of the fixture server.

  python3 faultproxy.py --target-port 12345 [--port 0] [--latency-ms 200] [--jitter-ms 50]
      [--up-latency-ms N] [--down-latency-ms N] [--bandwidth BYTES_PER_S]
      [--reset-probability 0.2] [--reset-after-bytes N] [--seed 1]
      [--hang-after-bytes N --hang-seconds S]

It forwards raw TCP (TLS passes through untouched, so the client still verifies
the server's certificate). Directions: "up" = client -> server, "down" = server -> client.

  latency    every chunk is delivered latency +/- jitter ms after it was read (order is kept)
  bandwidth  bytes/second per direction per connection (0 = unlimited)
  resets     each new connection is chosen for a reset with `reset_probability`
             (seeded RNG, drawn in accept order); a chosen connection is aborted with a
             TCP RST once `reset_after_bytes` bytes have gone down (default: random 0..4096,
             also from the seeded RNG)
  hangs      stop forwarding (both directions) for N seconds or forever

Ready line on stdout: {"ready": true, "port": P, "control": "http://127.0.0.1:C", ...}

Control (plain HTTP/1.1 JSON on the control port):
  GET  /config                     current settings + counters
  POST /config   {"latency_ms": 100, "jitter_ms": 20, "up_latency_ms": .., "down_latency_ms": ..,
                  "bandwidth": 10000, "reset_probability": 0.5, "reset_after_bytes": 0,
                  "seed": 7, "hang_after_bytes": null, "hang_seconds": 0}
  POST /hang     {"seconds": 5}        hang all current and new connections (seconds null = forever)
  POST /unhang                         resume forwarding
  POST /reset-all                      abort (RST) all open connections now
"""

import argparse
import asyncio
import json
import random
import signal
import socket
import struct
import sys
import time

CHUNK = 16384


class Settings:
    def __init__(self, a):
        self.up_latency_ms = a.up_latency_ms if a.up_latency_ms is not None else a.latency_ms
        self.down_latency_ms = a.down_latency_ms if a.down_latency_ms is not None else a.latency_ms
        self.jitter_ms = a.jitter_ms
        self.bandwidth = a.bandwidth
        self.reset_probability = a.reset_probability
        self.reset_after_bytes = a.reset_after_bytes
        self.hang_after_bytes = a.hang_after_bytes
        self.hang_seconds = a.hang_seconds
        self.seed = a.seed
        self.rng = random.Random(a.seed)

    def update(self, d):
        if "latency_ms" in d:
            self.up_latency_ms = self.down_latency_ms = float(d["latency_ms"])
        for k in ("up_latency_ms", "down_latency_ms", "jitter_ms", "bandwidth", "reset_probability"):
            if k in d:
                setattr(self, k, float(d[k]))
        for k in ("reset_after_bytes", "hang_after_bytes"):
            if k in d:
                setattr(self, k, None if d[k] is None else int(d[k]))
        if "hang_seconds" in d:
            self.hang_seconds = float(d["hang_seconds"] or 0)
        if "seed" in d:
            self.seed = d["seed"]
            self.rng = random.Random(self.seed)

    def describe(self):
        return {k: getattr(self, k) for k in ("up_latency_ms", "down_latency_ms", "jitter_ms", "bandwidth",
                                               "reset_probability", "reset_after_bytes", "hang_after_bytes",
                                               "hang_seconds", "seed")}


class Proxy:
    def __init__(self, args):
        self.args = args
        self.s = Settings(args)
        self.conns = set()
        self.hang_until = 0.0            # monotonic time; float("inf") = forever
        self.stats = {"connections": 0, "resets": 0, "hangs": 0, "bytes_up": 0, "bytes_down": 0}

    # -- hanging -------------------------------------------------------------------
    async def wait_not_hung(self, conn):
        while True:
            until = max(self.hang_until, conn.hang_until)
            now = time.monotonic()
            if until <= now:
                return
            await asyncio.sleep(min(0.05, until - now))

    # -- connections -----------------------------------------------------------------
    async def handle(self, creader, cwriter):
        self.stats["connections"] += 1
        s = self.s
        conn = Conn(creader, cwriter)
        if s.reset_probability > 0 and s.rng.random() < s.reset_probability:
            conn.reset_at = s.reset_after_bytes if s.reset_after_bytes is not None else s.rng.randint(0, 4096)
        try:
            sreader, swriter = await asyncio.open_connection(self.args.target_host, self.args.target_port)
        except OSError as e:
            sys.stderr.write("faultproxy: cannot reach target: %s\n" % e)
            abort(cwriter)
            return
        conn.server_writer = swriter
        self.conns.add(conn)
        try:
            if conn.reset_at == 0:
                self.reset(conn)
                return
            await asyncio.gather(self.pump(conn, creader, swriter, "up"),
                                 self.pump(conn, sreader, cwriter, "down"))
        finally:
            self.conns.discard(conn)
            for w in (cwriter, swriter):
                try:
                    w.close()
                except Exception:
                    pass

    def reset(self, conn):
        if conn.dead:
            return
        conn.dead = True
        self.stats["resets"] += 1
        abort(conn.client_writer)
        if conn.server_writer:
            abort(conn.server_writer)

    async def pump(self, conn, reader, writer, direction):
        """Read chunks, deliver each at read_time + latency (+/- jitter), rate limited."""
        queue = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await queue.get()
                if data is None:
                    try:
                        if writer.can_write_eof():
                            writer.write_eof()
                    except (OSError, RuntimeError):
                        pass
                    return
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                pos = 0
                while pos < len(data):
                    await self.wait_not_hung(conn)
                    if conn.dead:
                        return
                    bw = self.s.bandwidth
                    step = len(data) - pos if not bw else max(1, min(len(data) - pos, int(bw / 20) or 1))
                    piece = data[pos:pos + step]
                    if direction == "down" and conn.reset_at is not None:
                        room = conn.reset_at - conn.down
                        if room <= 0:
                            self.reset(conn)
                            return
                        piece = piece[:room]
                    if direction == "down" and self.s.hang_after_bytes is not None and not conn.hung_once \
                            and conn.down + len(piece) > self.s.hang_after_bytes:
                        room = self.s.hang_after_bytes - conn.down
                        if room > 0:
                            piece = piece[:room]
                        else:
                            conn.hung_once = True
                            self.stats["hangs"] += 1
                            conn.hang_until = (time.monotonic() + self.s.hang_seconds
                                               if self.s.hang_seconds else float("inf"))
                            continue
                    try:
                        writer.write(piece)
                        await writer.drain()
                    except (OSError, RuntimeError):
                        conn.dead = True
                        return
                    pos += len(piece)
                    if direction == "down":
                        conn.down += len(piece)
                        self.stats["bytes_down"] += len(piece)
                        if conn.reset_at is not None and conn.down >= conn.reset_at:
                            self.reset(conn)
                            return
                    else:
                        self.stats["bytes_up"] += len(piece)
                    if bw:
                        await asyncio.sleep(len(piece) / bw)

        task = asyncio.ensure_future(deliver())
        try:
            while not conn.dead:
                try:
                    data = await reader.read(CHUNK)
                except (OSError, asyncio.IncompleteReadError):
                    data = b""
                lat = self.s.up_latency_ms if direction == "up" else self.s.down_latency_ms
                jit = self.s.jitter_ms
                ms = max(0.0, lat + (self.s.rng.uniform(-jit, jit) if jit else 0.0))
                due = max(time.monotonic() + ms / 1000.0, conn.last_due[direction])
                conn.last_due[direction] = due
                queue.put_nowait((due, data or None))
                if not data:
                    break
            await task
        finally:
            if not task.done():
                task.cancel()
            if conn.dead:
                self.reset(conn)

    # -- control ------------------------------------------------------------------------
    async def control(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, path, _ = line.decode("latin-1").split(" ", 2)
                length = 0
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = h.decode("latin-1").partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v.strip())
                body = await reader.readexactly(length) if length else b""
                status, payload = self.control_request(method, path, body)
                out = json.dumps(payload).encode()
                writer.write(("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                              % (status, "OK" if status == 200 else "Error", len(out))).encode() + out)
                await writer.drain()
        except (OSError, ValueError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def control_request(self, method, path, body):
        try:
            d = json.loads(body) if body else {}
        except ValueError:
            return 400, {"error": "body is not JSON"}
        if path == "/config" and method == "GET":
            return 200, {"settings": self.s.describe(), "stats": self.stats, "open": len(self.conns)}
        if path == "/config" and method == "POST":
            try:
                self.s.update(d)
            except (TypeError, ValueError) as e:
                return 400, {"error": str(e)}
            return 200, {"settings": self.s.describe()}
        if path == "/hang" and method == "POST":
            secs = d.get("seconds")
            self.hang_until = float("inf") if secs is None else time.monotonic() + float(secs)
            self.stats["hangs"] += 1
            return 200, {"hanging": True, "seconds": secs}
        if path == "/unhang" and method == "POST":
            self.hang_until = 0.0
            for c in self.conns:
                c.hang_until = 0.0
            return 200, {"hanging": False}
        if path == "/reset-all" and method == "POST":
            n = len(self.conns)
            for c in list(self.conns):
                self.reset(c)
            return 200, {"reset": n}
        return 404, {"error": "unknown control endpoint %s %s" % (method, path)}


class Conn:
    def __init__(self, reader, writer):
        self.client_writer = writer
        self.server_writer = None
        self.reset_at = None
        self.down = 0
        self.dead = False
        self.hang_until = 0.0
        self.hung_once = False
        self.last_due = {"up": 0.0, "down": 0.0}


def abort(writer):
    """Close with RST (SO_LINGER 0) instead of FIN."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()


async def amain(args):
    proxy = Proxy(args)
    server = await asyncio.start_server(proxy.handle, args.host, args.port)
    control = await asyncio.start_server(proxy.control, args.host, args.control_port)
    port = server.sockets[0].getsockname()[1]
    cport = control.sockets[0].getsockname()[1]
    print(json.dumps({"ready": True, "port": port, "address": "%s:%d" % (args.host, port),
                      "target": "%s:%d" % (args.target_host, args.target_port),
                      "control": "http://%s:%d" % (args.host, cport), "settings": proxy.s.describe()}),
          flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    control.close()
    for c in list(proxy.conns):
        proxy.reset(c)


def main(argv=None):
    p = argparse.ArgumentParser(description="TCP fault proxy for Satchel sync tests")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--control-port", type=int, default=0)
    p.add_argument("--target-host", default="127.0.0.1")
    p.add_argument("--target-port", type=int, required=True)
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--up-latency-ms", type=float, default=None)
    p.add_argument("--down-latency-ms", type=float, default=None)
    p.add_argument("--jitter-ms", type=float, default=0.0)
    p.add_argument("--bandwidth", type=float, default=0.0, help="bytes/second per direction, 0 = unlimited")
    p.add_argument("--reset-probability", type=float, default=0.0)
    p.add_argument("--reset-after-bytes", type=int, default=None)
    p.add_argument("--hang-after-bytes", type=int, default=None,
                   help="each connection stops forwarding after this many bytes downstream")
    p.add_argument("--hang-seconds", type=float, default=0.0, help="0 = hang forever")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    try:
        asyncio.run(amain(args))
    except OSError as e:
        sys.stderr.write("faultproxy: failed to start: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
