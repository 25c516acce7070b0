"""Which decoding switches and fitted settings pay on a set they were not fitted on.

    .venv/bin/python scripts/rule_ablation.py --model models/minilm-real-articles \
        --sets dev_articles dev_world --out reports/ablation-real

Two labelled sets, each scored by the model once. The decoding settings (`fitting.fit_decode_settings`)
are fitted on each set and the other set is decoded with them, beside the class defaults (no fit
at all): the settings fit in both directions. Then, under the settings fitted on the *other* set,
each switch (the `casualties` group of `eventcoder.settings`: the learned toll step, fitted on
neither set) is flipped and each fitted setting is put back to its default, one at a time, and
what that costs or gains is counted on each set in articles: event types right plus killed and
injured totals exact. A switch stays only when it gains on the second set (`dev_world`: nothing
was developed on it); a fitted setting only when its gain, summed over both directions, is above
0. Every hand rule once here was removed by this measurement (`docs/experiments.md`).
Writes `<out>/report.md` and `<out>/metrics.json`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

# fitted settings measured together (a setting of a pair means nothing without the other)
SETTING_GROUPS = (("lead and headline weights", ("lead_weight", "headline_weight")),
          ("lexical weight", ("lexical_weight",)))


def decode(predictor: Any, rows: list[dict], raw: list) -> dict[str, Any]:
    from eventcoder.scoring import article_counts

    return article_counts(rows, [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)])


def set_all(predictor: Any, settings: dict[str, Any]) -> None:
    for name, value in settings.items():
        setattr(predictor, name, value)


def run(model: str, specs: list[str]) -> dict[str, Any]:
    from eventcoder.eval_sets import load_set, scoring_context
    from eventcoder.fitting import FITTED, fit_decode_settings
    from eventcoder.settings import DecodeSettings, default

    if len(specs) != 2:
        raise ValueError(f"--sets: name two labelled sets, got {specs}")
    predictor, cfg = scoring_context(model)
    rows = {s: [r for r in load_set(s, cfg) if r["event_type"]] for s in specs}
    raw = {s: predictor.score([r["text"] for r in rows[s]], headlines=True, lexical=True) for s in specs}
    hand = DecodeSettings().flat("casualties")  # the switches: each flipped
    defaults = {n: default(n) for n in FITTED}
    fitted: dict[str, dict[str, Any]] = {}
    for s in specs:
        set_all(predictor, hand)
        fit_decode_settings(predictor, rows[s], raw[s], objective=str(cfg.event_objective))
        fitted[s] = {n: getattr(predictor, n) for n in FITTED}
    other = {specs[0]: specs[1], specs[1]: specs[0]}
    result: dict[str, Any] = {"model": model, "sets": specs, "fitted": fitted, "directions": {},
                              "rules": {}, "settings": {}}
    for s in specs:  # s scored; settings fitted on the other set, on s itself (in sample), or none
        for label, settings in (("defaults, no fit", defaults), (f"fitted on {other[s]}", fitted[other[s]]),
                                (f"fitted on {s} (in sample)", fitted[s])):
            set_all(predictor, {**hand, **settings})
            result["directions"].setdefault(s, {})[label] = decode(predictor, rows[s], raw[s])
    for s in specs:
        base_settings = {**hand, **fitted[other[s]]}
        set_all(predictor, base_settings)
        base = decode(predictor, rows[s], raw[s])
        for name in hand:  # flipped from its state under these settings (fitted or set by hand)
            set_all(predictor, {**base_settings, name: not base_settings[name]})
            result["rules"].setdefault(name, {})[s] = {"state": base_settings[name],
                                                       **_gain(base, decode(predictor, rows[s], raw[s]))}
        for group, names in SETTING_GROUPS:
            set_all(predictor, {**base_settings, **{n: defaults[n] for n in names}})
            result["settings"].setdefault(group, {})[s] = _gain(base, decode(predictor, rows[s], raw[s]))
    for by_set in result["rules"].values():
        by_set["pays"] = by_set[specs[1]]["articles gained"] > 0
    for group, by_set in result["settings"].items():
        gains = [by_set[s]["articles gained"] for s in specs]
        by_set["pays"] = sum(gains) > 0
        by_set["names"] = dict(SETTING_GROUPS)[group]
    return result


def _gain(with_it: dict[str, Any], without: dict[str, Any]) -> dict[str, Any]:
    """What the rule or setting as it stands adds over its flip (positive: it pays)."""
    keys = ("articles gained", "event right", "event macro-F1", "killed exact", "killed exact, reported",
            "injured exact", "injured exact, reported", "by-group exact")
    return {k: round(with_it[k] - without[k], 4) for k in keys}


def render(result: dict[str, Any], command: str) -> str:
    a, b = result["sets"]
    cols = ("event right", "event macro-F1", "killed exact", "killed exact, reported", "injured exact",
            "injured exact, reported", "by-group exact")
    lines = [f"# Which rules and settings pay on a set they were not fitted on: `{result['model']}`", "",
             f"Produced by: `{command}`.", "",
             "## The settings fit in both directions", "",
             "Each set decoded with the class defaults (no fit), with the settings fitted on the other set, "
             "and with the settings fitted on itself (in sample, flattering). Counts of articles.", "",
             "| scored on | settings | articles | " + " | ".join(cols) + " |",
             "|---|---|---|" + "---|" * len(cols)]
    for s, variants in result["directions"].items():
        for label, f in variants.items():
            cells = [f"{f[c]}/{f[c.split(',')[0].split()[0] + ' reported']}" if c.endswith("reported") else f[c]
                     for c in cols]
            lines.append(f"| {s} | {label} | {f['articles']} | " + " | ".join(str(x) for x in cells) + " |")
    gains = ("articles gained", "event right", "killed exact", "injured exact", "by-group exact")
    for title, key, rule in (
            ("## Switches: the learned toll step", "rules",
             f"Each switch's gain (its state, on or off, under the settings fitted on the other set, minus its flip), "
             f"in articles; one pays when it gains on {b}. `learned_toll` is the learned step of `eventcoder.toll` "
             "(on: the model dir's `toll_step.json` picks the figures; off: every count mention whose likeliest "
             "label is a casualty label), fitted on neither set."),
            ("## Fitted settings", "settings",
             "Each fitted setting's gain over its default, under the settings fitted on the other set: "
             f"on {b} fitted on {a}, and on {a} fitted on {b}. It pays when the sum is above 0.")):
        lines += ["", title, "", rule, "",
                  "| name | pays | " + " | ".join(f"{s}: {g}" for s in (b, a) for g in gains) + " |",
                  "|---|---|" + "---|" * (2 * len(gains))]
        for name, by_set in sorted(result[key].items(), key=lambda kv: (not kv[1]["pays"], kv[0])):
            if key == "rules":  # its state under each set's settings: on or off
                name += " (" + " / ".join("on" if by_set[x]["state"] else "off" for x in (b, a)) + ")"
            lines.append(f"| {name} | {'yes' if by_set['pays'] else 'no'} | "
                         + " | ".join(str(by_set[s][g]) for s in (b, a) for g in gains) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    import sys

    from eventcoder.io import atomic_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--sets", nargs=2, required=True, help="the set the rules were written on, then the other")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    result = run(args.model, args.sets)
    command = "python scripts/rule_ablation.py " + " ".join(sys.argv[1:])
    text = render(result, command)
    with atomic_dir(Path(args.out)) as tmp:
        (tmp / "metrics.json").write_text(json.dumps({"command": command, **result}, indent=2, default=list) + "\n")
        (tmp / "report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
