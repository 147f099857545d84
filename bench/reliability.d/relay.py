# SPDX-License-Identifier: GPL-3.0-or-later
"""A measuring TCP relay for the chaos campaign (standard library only).

client -> relay -> target. A seeded share of connections is *stalled*: once it has
forwarded `stall_after` bytes downstream (server to client) it stops forwarding
downstream for good. The relay records the moment the stall began and the moment the
client gave up (closed or reset its side), so the campaign can check that the client
aborted the stall within its configured low-speed time. Runs in a background thread.
"""
import asyncio
import random
import threading
import time


class StallRelay:
    def __init__(self, target_port, stall_probability=0.3, seed=7,
                 stall_after=(3000, 9000), max_stall=120.0):
        self.target_port = target_port
        self.p = stall_probability
        self.rng = random.Random(seed)
        self.stall_after = stall_after
        self.max_stall = max_stall
        self.stalls = []          # dicts: started, ended (client gave up), by ("client"|"timeout")
        self.connections = 0
        self.port = None
        self._loop = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def stop(self):
        if self._loop:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        srv = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = srv.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, cr, cw):
        self.connections += 1
        stall_at = None
        if self.rng.random() < self.p:
            stall_at = self.rng.randint(*self.stall_after)
        try:
            sr, sw = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            cw.close()
            return
        state = {"down": 0, "stall": None, "client_closed": None}
        done = asyncio.Event()

        async def up():
            try:
                while True:
                    data = await cr.read(65536)
                    if not data:
                        break
                    sw.write(data)
                    await sw.drain()
            except (ConnectionError, OSError):
                pass
            state["client_closed"] = time.monotonic()
            done.set()

        async def down():
            try:
                while True:
                    data = await sr.read(65536)
                    if not data:
                        break
                    if stall_at is not None and state["stall"] is None and state["down"] + len(data) >= stall_at:
                        keep = max(0, stall_at - state["down"])
                        if keep:
                            cw.write(data[:keep])
                            await cw.drain()
                        state["down"] += keep
                        state["stall"] = time.monotonic()
                        return
                    cw.write(data)
                    await cw.drain()
                    state["down"] += len(data)
            except (ConnectionError, OSError):
                pass
            done.set()

        tu = asyncio.ensure_future(up())
        td = asyncio.ensure_future(down())
        try:
            await asyncio.wait_for(done.wait(), timeout=None)
            if state["stall"] is not None and state["client_closed"] is None:
                # downstream is stalled: wait for the client to give up
                try:
                    await asyncio.wait_for(tu, timeout=self.max_stall)
                except asyncio.TimeoutError:
                    pass
            if state["stall"] is not None:
                ended = state["client_closed"]
                self.stalls.append({"started": state["stall"], "ended": ended,
                                    "seconds": (ended - state["stall"]) if ended else None})
        finally:
            for t in (tu, td):
                t.cancel()
            for w in (cw, sw):
                try:
                    w.close()
                except Exception:
                    pass
