"""Load test of the glossary service: annotate and search against the trivial health check.

Starts the real ``workbench serve`` (waitress) in a child process on a free loopback port,
serving a copy of the project's glossary, and drives it from this second process with a
bounded load generator: N threads, each with its own lean keep-alive connection,
sending requests back to back for ``--seconds`` per run (split into ``--rounds``
interleaved rounds; at most ``--max-requests`` per round). Runs:

- ``GET /healthz``                        the ceiling: the same server doing no work;
- ``POST /api/annotate``                  a 100-character policy sentence (several terms);
- ``GET /api/terms?q=…``                  rotating Simplified, Traditional, prefix, English;

at 1, 8 and 32 concurrent clients. Prints requests/s, p50/p99 latency and errors per run,
then the throughput ratio of each endpoint to health at each concurrency and whether the
targets hold (annotate ≥ 0.5× health; p99 < 20 ms at 8 clients; no errors).

Latencies include the client's own time; client and server share this machine's cores.

Usage: ``.venv/bin/python benchmarks/service.py [--seconds 3] [--threads 8 | 2,4,8]
[--clients 1,8,32]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

# A 100-character sentence in the style of the seed texts, with several glossary terms.
SENTENCE = (
    "全省坚持精准扶贫精准脱贫基本方略，聚焦“两不愁、三保障”目标，扎实推进易地扶贫搬迁和产业扶贫，"
    "建档立卡贫困户全部脱贫，驻村工作队和第一书记持续发挥作用，脱贫攻坚取得决定性胜利，全面推进乡村振兴开好局。"
)
QUERIES = ["两不愁三保障", "兩不愁、三保障", "精准", "易地扶贫", "poverty alleviation", "第一書記"]


@dataclass
class Run:
    """The outcome of one endpoint at one concurrency."""

    name: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_cpu: float = 0.0  # seconds of CPU the server process used during the run

    @property
    def cpu_per_request(self) -> float:
        """Server CPU microseconds per answered request: steadier than latency on a busy box."""
        return self.server_cpu / len(self.latencies) * 1e6 if self.latencies else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def process_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system) a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(work: Path, threads: int) -> tuple[subprocess.Popen, int]:
    """Start ``workbench serve`` on a copy of the project glossary; wait until it answers."""
    glossary = work / "glossary"
    shutil.copytree(ROOT / "glossary", glossary, ignore=shutil.ignore_patterns("*.md"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(
        WORKBENCH_ROOT=str(ROOT),
        WORKBENCH_PATHS_WORK_DIR=str(work / "work"),
        WORKBENCH_PATHS_GLOSSARY_DIR=str(glossary),
        WORKBENCH_SERVICE_CURATOR_TOKEN="benchmark",
        WORKBENCH_SERVICE_THREADS=str(threads),
    )
    log = open(work / "serve.log", "wb")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(work / 'serve.log').read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not answer within 60 s")


def raw_requests(name: str, port: int) -> list[bytes]:
    """Return the HTTP/1.1 requests (bytes, keep-alive) one endpoint is driven with."""
    host = f"Host: 127.0.0.1:{port}\r\n"
    if name == "health":
        return [f"GET /healthz HTTP/1.1\r\n{host}\r\n".encode()]
    if name == "annotate":
        body = json.dumps({"text": SENTENCE}, ensure_ascii=False).encode("utf-8")
        head = (
            f"POST /api/annotate HTTP/1.1\r\n{host}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return [head.encode() + body]
    return [
        f"GET /api/terms?{urlencode({'q': q, 'limit': 10})} HTTP/1.1\r\n{host}\r\n".encode()
        for q in QUERIES
    ]


class KeepAliveClient:
    """A minimal HTTP/1.1 keep-alive client: pre-encoded requests, Content-Length framing.

    Much lighter than ``http.client`` (no header objects), so the load generator, which
    shares the machine's cores with the server, measures the server rather than itself.
    """

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def roundtrip(self, request: bytes) -> int:
        """Send one request and read its whole response; return the status code."""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        self.buffer = rest
        while len(self.buffer) < length:
            self._fill()
        self.buffer = self.buffer[length:]
        return status

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def drive(port: int, name: str, clients: int, seconds: float, max_requests: int) -> Run:
    """Send requests from ``clients`` keep-alive connections until time or count runs out."""
    requests = raw_requests(name, port)
    run = Run(name, clients)
    lock = threading.Lock()
    budget = [max_requests]
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client() -> None:
        connection = KeepAliveClient(port)
        latencies: list[float] = []
        errors = 0
        n = 0
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            request = requests[n % len(requests)]
            n += 1
            began = time.perf_counter()
            try:
                ok = connection.roundtrip(request) == 200
            except (OSError, ValueError):
                ok = False
                connection.close()
                connection = KeepAliveClient(port)
            if ok:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1
        connection.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - began
    return run


def check_answers(port: int) -> None:
    """Make sure the endpoints answer correctly before timing them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"text": SENTENCE}, ensure_ascii=False).encode("utf-8")
    connection.request(
        "POST", "/api/annotate", body=body, headers={"Content-Type": "application/json"}
    )
    matches = json.loads(connection.getresponse().read())["matches"]
    connection.request("GET", f"/api/terms?{urlencode({'q': '兩不愁三保障'})}")
    items = json.loads(connection.getresponse().read())["items"]
    connection.close()
    print(
        f"sentence: {len(SENTENCE)} characters, {len(matches)} glossary matches; "
        f"'兩不愁三保障' → {items[0]['id'] if items else 'nothing'}"
    )
    if len(SENTENCE) != 100 or not matches or not items:
        raise SystemExit("the service does not answer as expected; not benchmarking it")


ENDPOINTS = ("health", "annotate", "terms")


def measure(threads: int, levels: list[int], args: argparse.Namespace) -> dict:
    """Start a server with ``threads`` waitress threads and run every endpoint and level."""
    runs: dict[tuple[str, int], Run] = {}
    with tempfile.TemporaryDirectory(prefix="wb-bench-service-") as tmp:
        process, port = start_server(Path(tmp), threads)
        try:
            check_answers(port)
            print(
                f"\nwaitress threads: {threads}; {args.seconds:g} s per run; cores: "
                f"{os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}"
            )
            for name in ENDPOINTS:  # warm up every code path once
                drive(port, name, 2, 0.3, 200)
            print(
                f"{'endpoint':<10}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
                f"{'errors':>8}{'server CPU µs/req':>19}"
            )
            for clients in levels:
                for name in ENDPOINTS:
                    runs[name, clients] = Run(name, clients)
                # Interleave short rounds of each endpoint so that load from neighbours on a
                # shared machine falls on all three alike rather than on one of them.
                for _ in range(args.rounds):
                    for name in ENDPOINTS:
                        cpu_before = process_cpu(process.pid)
                        part = drive(
                            port, name, clients, args.seconds / args.rounds, args.max_requests
                        )
                        whole = runs[name, clients]
                        whole.server_cpu += process_cpu(process.pid) - cpu_before
                        whole.seconds += part.seconds
                        whole.latencies += part.latencies
                        whole.errors += part.errors
                for name in ENDPOINTS:
                    run = runs[name, clients]
                    print(
                        f"{name:<10}{clients:>8}{run.rate:>10.0f}{run.percentile(0.5):>9.2f}"
                        f"{run.percentile(0.99):>9.2f}{run.errors:>8}"
                        f"{run.cpu_per_request:>19.0f}"
                    )
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    print(f"load average after: {os.getloadavg()[0]:.1f} (latency means little when it is high)")
    return runs


def report(runs: dict, levels: list[int]) -> None:
    """Print the ratios to the health ceiling and whether the targets hold."""
    print("throughput relative to /healthz (the ceiling):")
    for clients in levels:
        health = runs["health", clients].rate
        ratios = {
            n: runs[n, clients].rate / health if health else 0.0 for n in ("annotate", "terms")
        }
        print(
            f"  {clients:>2} clients: annotate/health = {ratios['annotate']:.2f}x, "
            f"terms/health = {ratios['terms']:.2f}x"
        )
    cpu = {n: runs[n, levels[-1]].cpu_per_request for n in ENDPOINTS}
    print(
        f"server CPU per request at {levels[-1]} clients: health {cpu['health']:.0f} µs, "
        f"annotate {cpu['annotate']:.0f} µs, terms {cpu['terms']:.0f} µs; CPU-bound "
        f"ratio annotate/health = {cpu['health'] / cpu['annotate']:.2f}x"
    )
    errors = sum(run.errors for run in runs.values())
    if 8 in levels:
        ratio = runs["annotate", 8].rate / runs["health", 8].rate
        p99 = max(runs[n, 8].percentile(0.99) for n in ("annotate", "terms"))
        print(
            f"targets at 8 clients: annotate ≥ 0.5x health: {'met' if ratio >= 0.5 else 'MISSED'}"
            f" ({ratio:.2f}x); p99 < 20 ms: {'met' if p99 < 20 else 'MISSED'} ({p99:.1f} ms); "
            f"errors: {errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per run (default 3)")
    parser.add_argument("--max-requests", type=int, default=20000, help="per round cap")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per run")
    parser.add_argument(
        "--threads", default=None, help="waitress threads; a list (2,4,8) compares them"
    )
    parser.add_argument("--clients", default="1,8,32", help="concurrencies (default 1,8,32)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from workbench.config import load_config

    configured = int(load_config(root=ROOT).service.threads)
    settings = [int(t) for t in args.threads.split(",")] if args.threads else [configured]
    levels = [int(c) for c in args.clients.split(",")]
    results = {}
    for threads in settings:
        results[threads] = measure(threads, levels, args)
        report(results[threads], levels)
    if len(settings) > 1:
        busiest = levels[-1]
        print(f"\nwaitress threads compared at {busiest} clients (annotate):")
        for threads, runs in results.items():
            run = runs["annotate", busiest]
            print(
                f"  {threads:>3} threads: {run.rate:>6.0f} req/s, "
                f"p99 {run.percentile(0.99):.1f} ms, "
                f"annotate/health {run.rate / runs['health', busiest].rate:.2f}x"
            )


if __name__ == "__main__":
    main()
