"""A local webhook receiver for the benchmarks: its own process (in the benchmark's process it
shared the GIL with the benchmark's client threads, which throttled it to ~200 requests/s), an
asyncio server answering 200 to every POST (about 15,000 requests/s on one core), and a log of
every event that arrived, read by the benchmark.

    receiver = WebhookReceiver()      # started; receiver.url is its address
    receiver.events()                 # {event id: Arrival(at, type, hostname_id, created_at)}
    receiver.stop()
`at` is time.perf_counter() in the receiver (CLOCK_MONOTONIC: comparable across processes).
"""
import asyncio
import json
import multiprocessing
import os
import tempfile
import time
from typing import NamedTuple


class Arrival(NamedTuple):
    at: float
    type: str
    hostname_id: str
    created_at: str


class _Protocol(asyncio.Protocol):
    def __init__(self, log):
        self.log = log

    def connection_made(self, transport):
        self.transport, self.pending = transport, b""

    def data_received(self, data):
        self.pending += data
        while (end := self.pending.find(b"\r\n\r\n")) >= 0:
            length = 0
            for line in self.pending[:end].decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.pending) < end + 4 + length:
                return
            body, self.pending = self.pending[end + 4:end + 4 + length], self.pending[end + 4 + length:]
            now = time.perf_counter()
            document = json.loads(body)
            if "data" in document:
                event = document["data"]["metadata"]["event"]
                self.log.write(json.dumps([event["id"], now, event["type"], document["data"]["data"].get("id") or "",
                                           event.get("created_at", "")]) + "\n")
                self.log.flush()
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")


def _serve(log_path, ports):
    loop = asyncio.new_event_loop()
    with open(log_path, "a") as log:
        server = loop.run_until_complete(loop.create_server(lambda: _Protocol(log), "127.0.0.1", 0, backlog=4096))
        ports.put(server.sockets[0].getsockname()[1])
        loop.run_forever()


class WebhookReceiver:
    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="webhook-receiver-")
        self._log = os.path.join(self._dir.name, "events.jsonl")
        open(self._log, "w").close()
        self._read, self._seen = 0, {}
        ports = multiprocessing.Queue()
        self._process = multiprocessing.Process(target=_serve, args=(self._log, ports), daemon=True)
        self._process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=10)}/hook"

    def events(self):
        """Every event arrived so far (the log read on from where the last call stopped)."""
        with open(self._log) as f:
            f.seek(self._read)
            for line in f:
                if not line.endswith("\n"):
                    break  # being written: read it next time
                self._read += len(line.encode())
                event_id, at, kind, hostname_id, created_at = json.loads(line)
                self._seen.setdefault(event_id, Arrival(at, kind, hostname_id, created_at))
        return self._seen

    def stop(self):
        self._process.terminate()
        self._process.join()
        self._dir.cleanup()
