"""Bounded load test of `eventcoder serve` on loopback: throughput, latency, errors, memory.

    .venv/bin/python benchmarks/load_server.py --model models/minilm-sample [--requests 2000] [--concurrency 16]
        [--rounds 5]

Starts the server in a subprocess on 127.0.0.1, sends a fixed number of requests (most valid, some
over a limit, which must be answered 413/422), and prints requests/s, p50/p99 latency, status
counts (5xx must be zero) and the server's resident memory. The soak: the requests are sent in
`--rounds` equal rounds and the resident memory is read after each; memory is steady when what it
gains from the end of round 1 (allocator and caches warmed) to the last round stays under 5 %.
It stops by itself and exits 1 on any 5xx or unsteady memory.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(url: str, n: int, concurrency: int) -> tuple[list[float], Counter]:
    import httpx

    texts = ["Gunmen killed 12 villagers and wounded 3 soldiers near the market on Sunday, police said.",
             "Thousands marched peacefully through the capital to demand higher wages.",
             "A roadside bomb killed two soldiers; several others were wounded."]
    bodies = []
    for i in range(n):
        if i % 50 == 49:
            bodies.append({"texts": ["x" * 300_000]})  # over the text-length limit → 413 or 422
        elif i % 50 == 48:
            bodies.append({"texts": []})  # no text → 422
        else:
            bodies.append({"texts": [texts[i % 3]]})
    latencies: list[float] = []
    status: Counter = Counter()
    queue: asyncio.Queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)

    async with httpx.AsyncClient(timeout=60) as client:
        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.post(url + "/predict", json=body)
                    status[r.status_code] += 1
                except httpx.HTTPError as e:
                    status[type(e).__name__] += 1
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*[worker() for _ in range(concurrency)])
    return latencies, status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/minilm-sample")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--rounds", type=int, default=5, help="memory is read after each round (the soak)")
    args = ap.parse_args()
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-m", "eventcoder.cli", "serve", "--model", args.model, "--port",
                               str(port), "--backend", args.backend], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit("server did not start")
        httpx.post(url + "/predict", json={"texts": ["warm-up: 3 people were hurt."]}, timeout=60)
        before = rss_mb(server.pid)
        lat, status, rss, wall = [], Counter(), [], 0.0
        for _ in range(args.rounds):
            t = time.perf_counter()
            round_lat, round_status = asyncio.run(run(url, args.requests // args.rounds, args.concurrency))
            wall += time.perf_counter() - t
            lat += round_lat
            status += round_status
            rss.append(rss_mb(server.pid))
        lat.sort()
        five_xx = sum(v for k, v in status.items() if isinstance(k, int) and k >= 500)
        print(f"{len(lat)} requests, concurrency {args.concurrency}, model {args.model}")
        print(f"throughput: {args.requests / wall:.1f} requests/s over {wall:.1f} s")
        print(f"latency p50 {lat[len(lat) // 2] * 1000:.0f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms")
        print(f"status counts: {dict(sorted(status.items(), key=str))}; 5xx: {five_xx}")
        growth = (rss[-1] - rss[0]) / rss[0]
        print(f"server memory: {before:.0f} MB after warm-up; after each of {args.rounds} rounds: "
              + ", ".join(f"{m:.0f}" for m in rss) + f" MB; growth from round 1 to the last: {growth:+.1%} "
              + ("(steady)" if growth < 0.05 else "(NOT steady)"))
        if five_xx or growth >= 0.05:
            raise SystemExit(1)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
