"""Build a labelled `datasets.DatasetDict` from configured sources: `python -m eventcoder.data.build data=NAME`.

Reads every source of the data config (our records, ACLED/GTD/UCDP exports, ...), labels event
types and casualty mentions (gold spans where given, aligned from counts where not, masked where
unsure), splits without near-duplicate leaks, applies caps and weights, and saves
`data/processed/<name>/` atomically with a data card (README.md), `stats.json` and `errors.jsonl`.
"""
from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from tqdm.auto import tqdm

from eventcoder.data.exports import read_source
from eventcoder.data.labels import IGNORE, align_counts, gold_mention_labels
from eventcoder.data.split import assign_splits, near_duplicate_groups
from eventcoder.io import atomic_dir, atomic_write_jsonl
from eventcoder.numbers import NumbersConfig, find_mentions
from eventcoder.paths import repo_path
from eventcoder.schema import Article, RecordError
from eventcoder.taxonomy import Taxonomy, load_taxonomy

SPLITS = ("train", "validation", "test")


@dataclass
class SourceStats:
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    rows_capped: int = 0
    rows_excluded: int = 0
    event_masked: int = 0
    casualty_status: Counter = field(default_factory=Counter)
    gold_mentions: int = 0
    gold_mentions_unmatched: int = 0


def article_example(article: Article, taxonomy: Taxonomy, numbers: NumbersConfig,
                    named_groups: bool = False, outcome_cues: bool = False,
                    mask_unannotated: bool = False) -> dict[str, Any]:
    """One dataset row: text, event label, candidate mentions with labels, totals, provenance.
    `named_groups`: export totals take the group the text names; `outcome_cues`: a count is matched
    only to numbers whose words do not name the other outcome (both: `labels.align_counts`);
    `mask_unannotated`: numbers before `labelled_from` (a headline the annotator never saw) are
    masked instead of labelled O."""
    mentions = [m for m in find_mentions(article.text, numbers) if m.is_count]
    label_ids = {lab: i for i, lab in enumerate(taxonomy.mention_labels)}
    unmatched = 0
    if article.casualties is not None:
        labels, missing = gold_mention_labels(article, mentions, taxonomy)
        unmatched = len(missing)
        status = "gold" if not missing else "gold:partial"
        mention_labels = [IGNORE if mask_unannotated and m.start < article.labelled_from else label_ids[lab]
                          for m, lab in zip(mentions, labels, strict=True)]
    elif article.killed_total is not None or article.injured_total is not None:
        totals = {o: t for o, t in (("killed", article.killed_total), ("injured", article.injured_total))
                  if t is not None}
        counts = article.counts or {o: {taxonomy.unknown_group: t} for o, t in totals.items() if t}
        labels, status = align_counts(counts, totals, mentions, taxonomy, set(totals), named_groups,
                                      text=article.text if outcome_cues else None)
        mention_labels = [IGNORE if lab is None else label_ids[lab] for lab in labels]
    else:
        status = "masked:no casualty labels"
        mention_labels = [IGNORE] * len(mentions)
    gold = [c.model_dump(exclude_none=True) for c in article.casualties or []]
    return {
        "id": article.id,
        "text": article.text,
        "title": article.title or "",
        "date": article.date or "",
        "source": article.provenance.dataset or article.source or "",
        "event_type": article.event_type or "",
        "event_label": taxonomy.event_labels.index(article.event_type) if article.event_type else IGNORE,
        "mention_start": [m.start for m in mentions],
        "mention_end": [m.end for m in mentions],
        "mention_value": [-1 if m.value is None else min(m.value, 2**31 - 1) for m in mentions],
        "mention_vague": [m.vague or "" for m in mentions],
        "mention_label": mention_labels,
        "casualty_status": status,
        "killed_total": -1 if article.killed_total is None else article.killed_total,
        "injured_total": -1 if article.injured_total is None else article.injured_total,
        "gold_casualties": json.dumps(gold, ensure_ascii=False),
        "labelled_from": article.labelled_from,
        "file": article.provenance.file or "",
        "row": article.provenance.row or 0,
        "source_id": article.provenance.source_id or article.id,
        "split": article.split or "",
        "_unmatched": unmatched,
    }


def _resolve_path(path: str) -> str:
    p = Path(path)
    return str(p if p.is_absolute() else repo_path(p).resolve())


def input_digests(data: DictConfig) -> dict[str, str]:
    """sha256 over each source's file names and bytes (every file under a directory source), so a
    build can be told stale when an input file is edited, added or removed under the same config."""
    import hashlib

    digests: dict[str, str] = {}
    for name, source in data.sources.items():
        root = Path(_resolve_path(str(source.path)))
        if root.is_dir():
            files = [(str(f.relative_to(root)), f) for f in sorted(root.rglob("*")) if f.is_file()]
        else:
            files = [(root.name, root)] if root.exists() else []
        h = hashlib.sha256()
        for label, f in files:
            h.update(label.encode() + b"\0")
            h.update(f.read_bytes())
        digests[str(name)] = h.hexdigest()
    return digests


def build_dataset(cfg: DictConfig | dict, output_dir: str | Path | None = None,
                  target_dir: str | Path | None = None) -> Path:
    """Build and save the dataset described by `cfg` (the composed build_data config); return its dir:
    `target_dir`, else `<output_dir or cfg.output_dir>/<data name>`."""
    import datasets

    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(cfg)
    data = cfg.data
    taxonomy = load_taxonomy(cfg.taxonomy)
    numbers = NumbersConfig.load(_resolve_path(cfg.build.numbers))
    progress = bool(cfg.get("progress", True))
    seed = int(data.split.seed)
    stats: dict[str, SourceStats] = {}
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    fixed: dict[str, Any] = {}
    for name, source in data.sources.items():
        src = OmegaConf.to_container(source, resolve=True)
        src["name"] = src.get("name") or name
        src["path"] = _resolve_path(src["path"])
        if not Path(src["path"]).exists():
            raise FileNotFoundError(f"source {name}: {src['path']} not found")
        st = stats.setdefault(src["name"], SourceStats())
        kept: list[dict[str, Any]] = []
        limit = src.get("limit")
        exclude = set(src.get("exclude_ids") or [])
        for item in tqdm(read_source(src, taxonomy), desc=f"read {src['name']}", unit="row",
                         disable=not progress, mininterval=2):
            if limit is not None and st.rows_read >= int(limit):
                break
            st.rows_read += 1
            if isinstance(item, RecordError):
                st.rows_rejected += 1
                errors.append({"source": src["name"], **item.to_dict()})
                continue
            if item.id in exclude or (item.provenance.source_id or "") in exclude:
                st.rows_excluded += 1
                continue
            ex = article_example(item, taxonomy, numbers, bool(data.get("align_named_groups", False)),
                                 bool(data.get("align_outcome_cues", False)),
                                 bool(data.get("mask_unannotated_headlines", False)))
            st.gold_mentions += len(item.casualties or [])
            st.gold_mentions_unmatched += ex.pop("_unmatched")
            kept.append(ex)
        st.rows_kept = len(kept) + st.rows_excluded
        if src.get("cap") and len(kept) > int(src["cap"]):
            random.Random(seed).shuffle(kept)
            st.rows_capped = len(kept) - int(src["cap"])
            kept = kept[: int(src["cap"])]
        for ex in kept:
            st.event_masked += ex["event_label"] == IGNORE
            status = ex["casualty_status"]
            kind = status if status in ("gold", "gold:partial", "aligned") else "masked"
            st.casualty_status[kind] += 1
            if kind == "masked":
                st.casualty_status["reason: " + status.partition(":")[2]] += 1
        fixed[src["name"]] = src.get("fixed_split", False)
        for ex in kept:
            ex["_weight"] = float(src.get("weight", 1.0))
        rows.extend(kept)
    _split(rows, data, fixed, float(cfg.build.near_duplicate_threshold), seed)
    rows = _apply_weights(rows, seed)
    out_root = Path(output_dir) if output_dir else Path(_resolve_path(cfg.output_dir))
    target = Path(target_dir) if target_dir else out_root / str(data.name)
    by_split = {s: [r for r in rows if r["split"] == s] for s in SPLITS}
    features = _features()
    with atomic_dir(target) as tmp:
        dd = datasets.DatasetDict({
            s: datasets.Dataset.from_list(by_split[s], features=features) if by_split[s]
            else datasets.Dataset.from_dict({k: [] for k in features}, features=features) for s in SPLITS})
        dd.save_to_disk(str(tmp / "dataset"), num_shards=dict.fromkeys(SPLITS, 1))
        atomic_write_jsonl(tmp / "errors.jsonl", errors)
        summary = _summary(rows, stats, errors, taxonomy, cfg)
        (tmp / "stats.json").write_text(json.dumps(summary, indent=2) + "\n")
        (tmp / "README.md").write_text(render_card(summary))
    return target


def _split(rows: list[dict[str, Any]], data: DictConfig, fixed: dict[str, Any], threshold: float,
           seed: int) -> None:
    """Fill row['split']: a source's own split, a fixed split, or a leak-free stratified one."""
    free = [r for r in rows if not fixed.get(r["source"])]
    for r in rows:
        f = fixed.get(r["source"])
        if f in SPLITS:
            r["split"] = f
        elif f is True and r["split"] not in SPLITS:
            r["split"] = "train"
    groups = near_duplicate_groups([r["text"] for r in rows], threshold=threshold)
    for r, g in zip(rows, groups, strict=True):
        r["group"] = int(g)
    # a near-duplicate of a fixed-split row follows it
    forced: dict[int, str] = {}
    for r in rows:
        if fixed.get(r["source"]):
            forced.setdefault(r["group"], r["split"])
    rest = [r for r in free if r["group"] not in forced]
    for r in free:
        if r["group"] in forced:
            r["split"] = forced[r["group"]]
    sp = data.split
    by_date = OmegaConf.to_container(sp.by_date) if sp.get("by_date") else None
    # by_source: stratify by (source, event type), so a small source (the full-length articles beside
    # thousands of export rows) still gets its share of validation and test rows
    by_source = bool(sp.get("by_source", False))
    strata = [f"{r['source']}/{r['event_type'] or '_masked'}" if by_source else r["event_type"] or "_masked"
              for r in rest]
    splits = assign_splits(strata, [r["group"] for r in rest],
                           float(sp.validation), float(sp.test), seed,
                           dates=[r["date"] for r in rest], by_date=by_date)
    for r, s in zip(rest, splits, strict=True):
        r["split"] = s


def _apply_weights(rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Up- or down-sample each source's train rows by its weight; other splits untouched."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        w = r.pop("_weight", 1.0)
        if r["split"] != "train":
            out.append(r)
            continue
        copies = int(w) + (rng.random() < w - int(w))
        out.extend(dict(r) for _ in range(copies))
    return out


def _features():
    import datasets

    v = datasets.Value
    return datasets.Features({
        "id": v("string"), "text": v("string"), "title": v("string"), "date": v("string"),
        "source": v("string"), "event_type": v("string"), "event_label": v("int64"),
        "mention_start": datasets.Sequence(v("int64")), "mention_end": datasets.Sequence(v("int64")),
        "mention_value": datasets.Sequence(v("int64")), "mention_vague": datasets.Sequence(v("string")),
        "mention_label": datasets.Sequence(v("int64")), "casualty_status": v("string"),
        "killed_total": v("int64"), "injured_total": v("int64"), "gold_casualties": v("string"),
        "labelled_from": v("int64"),
        "file": v("string"), "row": v("int64"), "source_id": v("string"), "split": v("string"),
        "group": v("int64")})


def _summary(rows, stats, errors, taxonomy, cfg) -> dict[str, Any]:
    per_split_class = {s: dict(Counter(r["event_type"] or "(masked)" for r in rows if r["split"] == s))
                       for s in SPLITS}
    per_source_split = defaultdict(dict)
    for r in rows:
        per_source_split[r["source"]][r["split"]] = per_source_split[r["source"]].get(r["split"], 0) + 1
    lengths = sorted(len(r["text"].split()) for r in rows)

    def pct(p: float) -> int:
        return lengths[min(len(lengths) - 1, int(p * len(lengths)))] if lengths else 0

    sources = {}
    for name, st in stats.items():
        aligned_pool = st.rows_kept - st.rows_capped - st.rows_excluded
        cs = st.casualty_status
        sources[name] = {
            "rows_read": st.rows_read, "rows_kept": st.rows_kept, "rows_rejected": st.rows_rejected,
            "rows_capped": st.rows_capped, "rows_excluded": st.rows_excluded,
            "event_label_masked": st.event_masked,
            "casualty_gold": cs["gold"], "casualty_gold_partial": cs["gold:partial"],
            "casualty_aligned": cs["aligned"], "casualty_masked": cs["masked"],
            "alignment_rate": round(cs["aligned"] / max(1, cs["aligned"] + cs["masked"]), 4)
            if cs["aligned"] + cs["masked"] else None,
            "masked_reasons": {k[len("reason: "):]: v for k, v in cs.most_common() if k.startswith("reason: ")
                               and v},
            "gold_mentions": st.gold_mentions, "gold_mentions_without_candidate": st.gold_mentions_unmatched,
            "rows_in_dataset": aligned_pool,
        }
    return {"name": str(cfg.data.name), "taxonomy": taxonomy.name, "event_labels": taxonomy.event_labels,
            "mention_labels": taxonomy.mention_labels, "rows": len(rows),
            "rows_per_split": {s: sum(r["split"] == s for r in rows) for s in SPLITS},
            "rows_per_class_and_split": per_split_class, "rows_per_source_and_split": dict(per_source_split),
            "sources": sources, "errors": len(errors),
            "text_words": {"min": lengths[0] if lengths else 0, "p10": pct(0.1), "median": pct(0.5),
                           "p90": pct(0.9), "max": lengths[-1] if lengths else 0},
            "near_duplicate_groups_with_2_or_more": sum(1 for c in Counter(r["group"] for r in rows).values()
                                                        if c > 1),
            "config": OmegaConf.to_container(cfg.data, resolve=False), "inputs": input_digests(cfg.data)}


def render_card(s: dict[str, Any]) -> str:
    """The data card: sources, rows per class and split, alignment/masking, text lengths."""
    lines = [f"# Dataset `{s['name']}`", "",
             f"Built by `python -m eventcoder.data.build data={s['name']}`; taxonomy `{s['taxonomy']}`.", "",
             f"Rows: {s['rows']} ({', '.join(f'{k} {v}' for k, v in s['rows_per_split'].items())}); "
             f"rejected input rows: {s['errors']} (see errors.jsonl).", "",
             "## Sources", "",
             "| source | read | kept | rejected | capped | event label masked | gold spans | aligned | "
             "masked | alignment rate | gold mentions without candidate |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, st in s["sources"].items():
        rate = "n/a" if st["alignment_rate"] is None else f"{st['alignment_rate']:.1%}"
        lines.append(f"| {name} | {st['rows_read']} | {st['rows_kept']} | {st['rows_rejected']} | "
                     f"{st['rows_capped']} | {st['event_label_masked']} | "
                     f"{st['casualty_gold'] + st['casualty_gold_partial']} | {st['casualty_aligned']} | "
                     f"{st['casualty_masked']} | {rate} | {st['gold_mentions_without_candidate']}"
                     f"/{st['gold_mentions']} |")
    lines += ["", "Why casualty labels were masked (never guessed):", ""]
    for name, st in s["sources"].items():
        for reason, n in list(st["masked_reasons"].items())[:8]:
            lines.append(f"- {name}: {reason} — {n}")
    classes = sorted({c for d in s["rows_per_class_and_split"].values() for c in d})
    lines += ["", "## Rows per class and split", "", "| class | " + " | ".join(SPLITS) + " |",
              "|---|" + "---|" * len(SPLITS)]
    for c in classes:
        lines.append(f"| {c} | " + " | ".join(str(s["rows_per_class_and_split"][sp].get(c, 0))
                                              for sp in SPLITS) + " |")
    w = s["text_words"]
    lines += ["", "## Text length (words)", "",
              f"min {w['min']}, p10 {w['p10']}, median {w['median']}, p90 {w['p90']}, max {w['max']}.", "",
              f"Near-duplicate groups (2+ rows, kept within one split): "
              f"{s['near_duplicate_groups_with_2_or_more']}.", ""]
    return "\n".join(lines)


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="build_data")
    def _run(cfg: DictConfig) -> None:
        out = build_dataset(cfg)
        stats = json.loads((out / "stats.json").read_text())
        print(f"dataset {stats['name']}: {stats['rows_per_split']} -> {out} "
              f"(rejected rows: {stats['errors']}; card: {out / 'README.md'})")

    _run()


if __name__ == "__main__":
    main()
