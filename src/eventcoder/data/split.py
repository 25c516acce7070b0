"""Splits that do not leak: near-duplicate texts are grouped and a group never straddles splits.

Near-duplicates (the same incident in several export rows, a summary reused) are found with MinHash
over word 3-gram shingles and banded LSH, confirmed by Jaccard similarity, and merged with
union-find. Splitting is stratified by event label over groups (scikit-learn's StratifiedGroupKFold)
or, when asked, by date (train on the past, test on the future). Folds within a split (cross-fitting,
cross-tuning) come from a stable hash of the row id (`fold_index`).
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
_PRIME = (1 << 61) - 1


def shingles(text: str, n: int = 3) -> set[int]:
    words = WORD.findall(text.lower())
    if len(words) < n:
        words = words + [""] * (n - len(words))
    grams = {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") >> 3 for g in grams}


def near_duplicate_groups(texts: list[str], threshold: float, num_perm: int = 64, bands: int = 16,
                          seed: int = 7) -> list[int]:
    """Group id per text; texts with shingle Jaccard >= threshold (transitively) share a group."""
    n = len(texts)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sets = [shingles(t) for t in texts]
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=num_perm, dtype=np.uint64)
    rows = num_perm // bands
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        h = np.fromiter(s, dtype=np.uint64, count=len(s))
        # (a*h + b) mod 2^64, then min per permutation: a universal-hash MinHash signature
        sig = ((h[None, :] * a[:, None] + b[:, None]) >> np.uint64(3)).min(axis=1)
        for band in range(bands):
            buckets[(band, sig[band * rows:(band + 1) * rows].tobytes())].append(i)
    for members in buckets.values():
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            ra, rb = find(first), find(other)
            if ra == rb:
                continue
            sa, sb = sets[first], sets[other]
            if len(sa & sb) / max(1, len(sa | sb)) >= threshold:
                parent[rb] = ra
    return [find(i) for i in range(n)]


def assign_splits(labels: list[str], groups: list[int], validation: float, test: float, seed: int,
                  dates: list[str | None] | None = None, by_date: dict | None = None) -> list[str]:
    """'train' / 'validation' / 'test' per row; groups stay whole."""
    n = len(labels)
    if by_date:
        out = []
        for d in dates or [None] * n:
            d = d or ""
            if d >= str(by_date["test_from"]):
                out.append("test")
            elif by_date.get("validation_from") and d >= str(by_date["validation_from"]):
                out.append("validation")
            else:
                out.append("train")
        # a group takes the earliest split of its members so no near-duplicate crosses
        order = {"train": 0, "validation": 1, "test": 2}
        first: dict[int, str] = {}
        for g, s in zip(groups, out, strict=True):
            if g not in first or order[s] < order[first[g]]:
                first[g] = s
        return [first[g] for g in groups]
    split = ["train"] * n
    if n == 0 or validation + test <= 0:
        return split
    idx = np.arange(n)
    strat = np.array(labels)
    grp = np.array(groups)
    test_idx = _group_fraction(idx, strat, grp, test, seed)
    for i in test_idx:
        split[i] = "test"
    rest = np.array([i for i in idx if split[i] == "train"])
    if validation > 0 and len(rest):
        val_idx = _group_fraction(rest, strat[rest], grp[rest], validation / max(1e-9, 1 - test), seed + 1)
        for i in val_idx:
            split[i] = "validation"
    return split


def _group_fraction(idx: np.ndarray, strat: np.ndarray, grp: np.ndarray, frac: float, seed: int) -> list[int]:
    """About `frac` of the rows, whole groups, stratified by label."""
    if frac <= 0:
        return []
    if frac >= 1:
        return list(idx)
    from sklearn.model_selection import StratifiedGroupKFold

    k = max(2, round(1 / frac))
    n_groups = len(set(grp.tolist()))
    if n_groups < k:
        return []
    counts = defaultdict(int)
    for s in strat:
        counts[s] += 1
    # classes rarer than k cannot be stratified; give them one shared stratum
    strat = np.array([s if counts[s] >= k else "__rare__" for s in strat])
    kf = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    _, held = next(iter(kf.split(idx, strat, grp)))
    return [int(idx[i]) for i in held]


def fold_index(row_id: str, folds: int) -> int:
    """The fold of a row: a stable hash of its id (the same on every machine and run)."""
    return int(hashlib.sha1(row_id.encode("utf-8")).hexdigest(), 16) % folds


def in_fold(row: dict[str, Any], holdout: Any) -> bool:
    """Whether `row` is in the held-out fold `holdout` ({folds, fold, sources})."""
    return row["source"] in set(holdout.sources) and fold_index(row["id"], int(holdout.folds)) == int(holdout.fold)
