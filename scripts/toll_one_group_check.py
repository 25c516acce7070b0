"""Measures 'one group per figure': of the toll step's counted candidates that share an outcome and
their evidence mention, only the surest is kept. Prints killed and injured totals exact per set,
without and with it: `python scripts/toll_one_group_check.py MODEL SET...`."""
import sys

from eventcoder.eval_sets import load_set, scoring_context
from eventcoder.toll import TollStep


def one_group(decided):
    best = {}
    for c, p in decided:
        key = (c.outcome, c.evidence)
        if key not in best or p > best[key][1]:
            best[key] = (c, p)
    keep = {id(c) for c, _ in best.values()}
    return [(c, p) for c, p in decided if id(c) in keep]

orig = TollStep.decide
model = sys.argv[1]
sets = sys.argv[2:]
pred, cfg = scoring_context(model)
for spec in sets:
    rows = [r for r in load_set(spec, cfg) if r["event_type"]]
    raw = pred.score([r["text"] for r in rows], headlines=True, lexical=True)
    res = {}
    for on in (False, True):
        TollStep.decide = (lambda self, cands: one_group(orig(self, cands))) if on else orig
        out = [pred.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)]
        k = sum(o["killed"] == r["killed_total"] for o, r in zip(out, rows, strict=True) if r["killed_total"] >= 0)
        i = sum(o["injured"] == r["injured_total"] for o, r in zip(out, rows, strict=True) if r["injured_total"] >= 0)
        res[on] = (k, i)
    print(f"{spec} ({len(rows)}): off killed/injured {res[False]}, on {res[True]}", flush=True)
