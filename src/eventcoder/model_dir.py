"""The model directory's format: which files it holds, the check that names a missing or corrupt one,
and the small files beside the weights that several commands read or write.

A model directory is what `eventcoder.train` (and `soup`, `ensemble`) writes and
`Predictor.from_pretrained` loads:

- `config.json`, `model.safetensors`: the network (`eventcoder.model`, through transformers'
  `save_pretrained` / `from_pretrained`); an ensemble has `ensemble.json`, naming its members, instead
  of weights
- `tokenizer.json`, `tokenizer_config.json`: the tokenizer
- `label_maps.json`: the labels of both heads and the taxonomy, which must agree with `config.json`
- `decoding.json`: every decoding setting (`eventcoder.settings`); older directories hold their fitted
  values in `calibration.json`
- `lexical.json`, `lexical.npz`: the lexical event-type model (`eventcoder.lexical`), when there is one
- `model.onnx`, `model.int8.onnx`, `backend.json`: the CPU fast paths and the measured choice between
  them (`eventcoder.export`)
- `README.md` (the model card), `training_config.yaml`, `metrics.json`

The file names are stated here once; each part's content is read and written by its own type
(`DecodeSettings`, `LexicalModel`, the network's classes). No torch import: commands that only look
at a directory stay fast.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
LABEL_MAPS_FILE = "label_maps.json"
SETTINGS_FILE = "decoding.json"
LEGACY_SETTINGS_FILE = "calibration.json"  # flat fitted values only, as older model directories hold them
LEXICAL_FILES = ("lexical.json", "lexical.npz")
TOLL_STEP_FILE = "toll_step.json"  # the learned article-level toll step (eventcoder.toll)
ENSEMBLE_FILE = "ensemble.json"  # an ensemble directory names its members (`eventcoder.ensemble`), no weights
BACKEND_FILE = "backend.json"
CARD_FILE = "README.md"
SOUP_FILE = "soup.json"  # a weight soup's parts (eventcoder.soup), so its card can describe each
TRAINING_CONFIG_FILE = "training_config.yaml"
METRICS_FILE = "metrics.json"
REQUIRED_FILES = (CONFIG_FILE, WEIGHTS_FILE, TOKENIZER_FILE, LABEL_MAPS_FILE)

BACKENDS = ["torch", "torch-int8", "onnx", "onnx-int8"]  # what the network of a directory can run on
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}  # backend → file in the model dir

# what a model made of others (a soup, an ensemble) copies from its first part
COPIED = (CONFIG_FILE, TOKENIZER_FILE, "tokenizer_config.json", LABEL_MAPS_FILE, TRAINING_CONFIG_FILE,
          *LEXICAL_FILES)  # the lexical model of one recipe's train split (eventcoder.lexical)
# config keys on which models of one recipe agree (their scores are only comparable, or averageable, then)
SAME = ("event_labels", "mention_labels", "window_length", "window_stride", "headline_context", "mention_context")


def is_ensemble(path: str | Path) -> bool:
    """Whether a model directory is an ensemble of other model directories."""
    return (Path(path) / ENSEMBLE_FILE).is_file()


def check_model_dir(path: str | Path) -> Path:
    """Fail with a message naming the missing or unreadable file of a model directory."""
    p = Path(path)
    if not p.is_dir():
        raise FileNotFoundError(f"model directory {p} does not exist")
    ensemble = is_ensemble(p)
    for name in REQUIRED_FILES:
        if not (p / name).is_file() and not (ensemble and name == WEIGHTS_FILE):
            raise FileNotFoundError(f"model directory {p} is missing {name}")
    for name in (CONFIG_FILE, LABEL_MAPS_FILE):
        try:
            json.loads((p / name).read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{p / name} is corrupt: {e}") from None
    return p


def read_label_maps(path: str | Path) -> dict[str, Any]:
    """The directory's `label_maps.json`: event labels, mention labels and the taxonomy."""
    return json.loads((Path(path) / LABEL_MAPS_FILE).read_text())


def check_label_maps(path: str | Path, event_labels: Sequence[str], mention_labels: Sequence[str]) -> None:
    """Fail naming both files when `label_maps.json` does not hold the network's labels."""
    p = Path(path)
    maps = read_label_maps(p)
    if maps["event_labels"] != list(event_labels) or maps["mention_labels"] != list(mention_labels):
        raise ValueError(f"{p / LABEL_MAPS_FILE} does not match {p / CONFIG_FILE}")


def label_maps_text(event_labels: Sequence[str], mention_labels: Sequence[str], taxonomy: dict[str, Any]) -> str:
    """The text of `label_maps.json`."""
    return json.dumps({"event_labels": event_labels, "mention_labels": mention_labels,
                       "taxonomy": taxonomy}, indent=2) + "\n"


def default_backend(path: str | Path) -> str:
    """The backend `eventcoder export` measured fastest among those agreeing with fp32 torch
    (`backend.json`), else torch."""
    chosen = Path(path) / BACKEND_FILE
    return json.loads(chosen.read_text()).get("default", "torch") if chosen.is_file() else "torch"


def write_backend_choice(path: str | Path, record: dict[str, Any]) -> Path:
    """Write `backend.json` atomically: the backend `auto` runs (`default`) and what it was chosen by."""
    from eventcoder.io import atomic_write_text

    return atomic_write_text(Path(path) / BACKEND_FILE, json.dumps(record, indent=2) + "\n")


def onnx_file(path: str | Path, backend: str) -> Path:
    """The ONNX file an ONNX backend runs; fails naming it, and the command that writes it, when absent."""
    p = Path(path)
    f = p / ONNX_FILES[backend]
    if not f.is_file():
        raise FileNotFoundError(f"model directory {p} is missing {f.name} "
                                f"(write it with: eventcoder export --model {p})")
    return f


def member_dirs(ensemble_dir: Path) -> list[Path]:
    """The members an ensemble directory names, each checked to be a model directory."""
    spec = json.loads((ensemble_dir / ENSEMBLE_FILE).read_text())
    members = spec.get("members") or []
    if not members:
        raise ValueError(f"{ensemble_dir / ENSEMBLE_FILE} lists no members")
    return [check_model_dir((ensemble_dir / m).resolve()) for m in members]


def members_text(relative_dirs: Sequence[str]) -> str:
    """The text of `ensemble.json`: the members, relative to the ensemble directory."""
    return json.dumps({"members": list(relative_dirs)}, indent=2) + "\n"


def check_same_recipe(dirs: Sequence[Path], same_encoder: bool = True) -> None:
    """Refuse models whose labels or windows (and, with `same_encoder`, encoder config; else only its
    vocabulary) differ from the first's, naming the model and the difference."""
    configs = [json.loads((d / CONFIG_FILE).read_text()) for d in dirs]
    for d, c in zip(dirs[1:], configs[1:], strict=True):
        for key in SAME:
            if c.get(key) != configs[0].get(key):
                raise ValueError(f"{d}: {key} {c.get(key)!r} differs from {dirs[0]}'s {configs[0].get(key)!r}")
        enc, first = c.get("encoder") or {}, configs[0].get("encoder") or {}
        if (enc != first) if same_encoder else (enc.get("vocab_size") != first.get("vocab_size")):
            raise ValueError(f"{d}: its {'encoder config' if same_encoder else 'vocabulary'} differs from {dirs[0]}'s")


def write_parts(tmp: Path, dirs: Sequence[Path], models: Sequence[str | Path], output: str | Path,
                what: str) -> None:
    """Copy the first part's config, tokenizer and label maps into `tmp` and write a model card that
    says `what` the model is, lists its parts and how to tune its decoding settings."""
    for name in COPIED:
        if (dirs[0] / name).is_file():
            shutil.copy2(dirs[0] / name, tmp / name)
    parts = "\n".join(f"- `{m}`" for m in models)
    (tmp / CARD_FILE).write_text(
        f"---\nlibrary_name: transformers\ntags: [eventcoder, event-coding, political-violence, acled]\n---\n"
        f"# eventcoder model `{Path(str(output)).name}`\n\n{what}\n\n{parts}\n\nIts decoding settings are not "
        f"theirs: tune them with `python -m eventcoder.crosstune model={output} tune_set=dev_articles tune_store=true`.\n")
