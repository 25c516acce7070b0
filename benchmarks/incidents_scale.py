"""Time and memory of incident grouping against the number of coded records.

    nice -n 19 env OMP_NUM_THREADS=1 python benchmarks/incidents_scale.py [--sizes 1000 10000 100000] \
        [--engines local ray]

Synthetic coded records (the grouping never reads the model): incidents of one to four reports in
60 countries of 20 places each over a year, each report a few sentences drawn from its incident's
words and common words, with its event date a day or two off and a rising toll. Each size runs in
its own process, so the peak resident memory printed is that size's. Time covers `group_incidents`
(blocking, TF-IDF, links, components, reconciliation); B-cubed F1 against the synthetic truth is
printed as a check that the work was real. `ray` groups the same records with `--engine ray`'s
`group_with_ray` (one task per country, on a local Ray started before the clock; its start is printed
apart), writing the incidents file as the CLI does; its peak memory is the driver's alone.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

TYPES = ["battles", "explosions_remote_violence", "violence_against_civilians", "riots", "protests"]
COMMON = [
    "police", "said", "officials", "killed", "wounded", "attack", "people", "village", "town", "forces",
    "army", "group", "area", "residents", "hospital", "reported", "security", "sources", "local",
    "authorities", "clashes", "fighters", "civilians",
]


def synthetic(n: int, seed: int = 0) -> tuple[list[dict], list[int]]:
    """n coded records and the incident each reports."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    records, truth = [], []
    incident = 0
    while len(records) < n:
        incident += 1
        country, place = rng.randrange(60), rng.randrange(20)
        lat, lon = -40 + country + place * 0.5, -100 + 3 * country + place * 0.5
        day = start + timedelta(days=rng.randrange(365))
        kind = rng.choice(TYPES)
        words = [f"w{rng.randrange(200_000)}" for _ in range(8)]
        toll = rng.randrange(0, 20)
        for k in range(min(rng.choice([1, 1, 2, 2, 3, 4]), n - len(records))):
            text = " ".join(rng.sample(words, 5) + rng.sample(COMMON, 8))
            toll += rng.randrange(0, 4) * k
            records.append({
                "id": f"r{len(records)}", "event_type": kind, "score": 0.9, "killed": toll, "injured": 0,
                "date": (day + timedelta(days=k)).isoformat(),
                "casualties": {"killed": {"civilians": toll}, "injured": {}},
                "evidence": [{"outcome": "killed", "group": "civilians", "count": toll, "text": str(toll),
                              "start": 0, "end": 1, "sentence": text}],
                "when": {"date": (day + timedelta(days=rng.choice([0, 0, 0, 1]))).isoformat(), "precision": "day",
                         "text": None, "start": None, "end": None},
                "where": {"country": f"C{country}", "country_code": f"C{country}", "place": f"P{country}-{place}",
                          "latitude": lat, "longitude": lon, "precision": "place", "precision_code": 1}})
            truth.append(incident)
    return records, truth


def run_one(n: int, engine: str = "local") -> dict:
    import sklearn.feature_extraction.text  # noqa: F401  (imported before the clock starts)

    from eventcoder.incidents import IncidentConfig, group_incidents
    from eventcoder.incidents.evaluate import bcubed

    records, truth = synthetic(n)
    config = IncidentConfig.load()
    start_s = 0.0
    if engine == "ray":
        import tempfile

        import ray

        from eventcoder.incidents.ray_group import group_with_ray

        t = time.perf_counter()
        ray.init(include_dashboard=False, log_to_driver=False)
        start_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            group_with_ray(records, f"{tmp}/incidents.jsonl", config)
            seconds = time.perf_counter() - t
            with open(f"{tmp}/incidents.jsonl", encoding="utf-8") as fh:
                incidents = [json.loads(line) for line in fh]
        ray.shutdown()
    else:
        t = time.perf_counter()
        incidents = group_incidents(records, config)
        seconds = time.perf_counter() - t
    member_of = {m: k for k, inc in enumerate(incidents) for m in inc["members"]}
    f1 = bcubed([member_of[r["id"]] for r in records], truth)["f1"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "records": n, "incidents": len(incidents), "seconds": round(seconds, 2),
            "start_s": round(start_s, 1), "peak_rss_mb": round(peak_mb), "bcubed_f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--engines", nargs="+", choices=["local", "ray"], default=["local"])
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.engine)))
        return 0
    print(f"{'engine':>6} {'records':>8} {'incidents':>9} {'seconds':>8} {'start s':>7} {'peak RSS MB':>11} "
          f"{'B-cubed F1':>10}")
    for n in args.sizes:
        for engine in args.engines:
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--engine", engine],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{engine:>6} {r['records']:>8} {r['incidents']:>9} {r['seconds']:>8} {r['start_s']:>7} "
                  f"{r['peak_rss_mb']:>11} {r['bcubed_f1']:>10}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
