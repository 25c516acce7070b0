"""Shared helpers for the benchmarks: the machine's measured matmul peak."""
from __future__ import annotations

import time

import torch


def matmul_peak_gflops(n: int = 2048, repeats: int = 10) -> float:
    """fp32 GFLOP/s of torch.matmul on this machine, measured now (best of `repeats`)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.matmul(a, b)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9
