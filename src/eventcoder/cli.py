"""`eventcoder` command: one tool for the whole path, each subcommand calling one library function.

`eventcoder build|train|evaluate|crosstune|crossfit|indicators|ensemble|soup|lexical|toll [OVERRIDES]`
compose their Hydra config (`key=value` overrides after the subcommand, as with
`python -m eventcoder.<module>`); `predict`, `serve`, `export`, `schema` and `numbers` take options.
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from eventcoder.batch import DEFAULT_BATCH_SIZE
from eventcoder.inputs import export_sources
from eventcoder.model_dir import BACKENDS
from eventcoder.schema import RecordError

# Subcommands that are Hydra entry points: the module whose main() composes the config and runs.
HYDRA_COMMANDS = {
    "build": ("eventcoder.data.build", "build a labelled dataset (configs/build_data.yaml; data=NAME)"),
    "train": ("eventcoder.train", "fine-tune a model (configs/train.yaml; experiment=NAME)"),
    "evaluate": ("eventcoder.evaluate", "score a model on held-out sets with baselines (configs/evaluate.yaml)"),
    "crosstune": ("eventcoder.crosstune", "fit the decoding settings by folds on a dev set and store them"),
    "crossfit": ("eventcoder.crossfit", "train and score by folds (configs/train.yaml)"),
    "indicators": ("eventcoder.indicators", "yearly indicators against an official series"),
    "ensemble": ("eventcoder.ensemble", "a model directory averaging several models"),
    "soup": ("eventcoder.soup", "a model directory averaging several models' weights"),
    "lexical": ("eventcoder.lexical", "the word-rate event model beside the encoder"),
    "toll": ("eventcoder.fit_toll", "fit the learned step that picks the event's toll (configs/toll.yaml)"),
}

BACKEND_CHOICES = ["auto", *BACKENDS]  # model_dir imports no torch: building the parser stays fast


def _schema(args: argparse.Namespace) -> int:
    from eventcoder.schema import write_json_schemas

    for path in write_json_schemas(args.out):
        print(path)
    return 0


def _numbers(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from eventcoder.numbers import find_mentions

    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    for m in find_mentions(text):
        print(json.dumps(m.to_dict(), ensure_ascii=False))
    return 0


def _input_columns(args: argparse.Namespace):
    """The input's column map: a source's (--source) with any column given on the command line over it."""
    from eventcoder.inputs import InputColumns

    base = InputColumns.of_source(args.source) if args.source else InputColumns()
    given = {k: v for k, v in (("text", args.text_column), ("title", args.title_column), ("id", args.id_column)) if v}
    return InputColumns(**{**base.__dict__, **given})


def _predict(args: argparse.Namespace) -> int:
    if args.engine == "ray":
        from eventcoder.ray_batch import predict_with_ray

        counts = predict_with_ray(args.input, args.output, args.model, workers=args.workers, backend=args.backend,
                                  batch_size=args.batch_size, rows_per_block=args.chunk_size,
                                  output_format=args.format or "jsonl", columns=_input_columns(args))
        print(f"{counts['rows']} rows from {counts['shards_read']} shards on {counts['workers']} Ray workers: "
              f"{counts['predictions']} predictions -> {args.output}/predictions/, "
              f"{counts['errors']} errors -> {args.output}/errors/")
        return 0
    from eventcoder.batch import predict_file
    from eventcoder.inputs import check_columns
    from eventcoder.predictor import Predictor

    columns = _input_columns(args)
    if len(args.input) != 1:
        raise SystemExit("eventcoder predict: error: one --input file (several shards need --engine ray)")
    check_columns(args.input[0], columns)
    predictor = Predictor.from_pretrained(args.model, backend=args.backend, device=args.device)
    counts = predict_file(args.input[0], args.output, predictor, chunk_size=args.chunk_size,
                          batch_size=args.batch_size, progress=not args.no_progress, output_format=args.format,
                          columns=columns)
    print(f"{counts['rows']} rows: {counts['predictions']} predictions -> {args.output}, "
          f"{counts['errors']} errors -> {args.output}.errors.jsonl"
          + (f" ({counts['chunks_resumed']} chunks resumed)" if counts["chunks_resumed"] else ""))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from eventcoder.serve import run

    run(args.model, host=args.host, port=args.port, backend=args.backend, device=args.device)
    return 0


def _device(value: str) -> str:
    """A --device value, checked when the command line is read (without importing torch)."""
    if not re.fullmatch(r"cpu|auto|cuda(:\d+)?", value):
        raise argparse.ArgumentTypeError(f"{value!r}: cpu, cuda, cuda:N or auto")
    return value


def _export(args: argparse.Namespace) -> int:
    from eventcoder.export import choose_backend, export_onnx

    for path in export_onnx(args.model, quantize=args.int8):
        print(path)
    if args.choose:
        from eventcoder.data.readers import load_sample

        record = choose_backend(args.model, [a.text for a in load_sample("test")], args.min_agreement)
        for name, m in record["measured"].items():
            print(f"{name:11s} {m['articles_per_second']:7.2f} articles/s  same event type {m['same_event_type']:.1%}"
                  f"  same totals {m['same_totals']:.1%}")
        print(f"default backend (auto): {record['default']}")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eventcoder")
    except PackageNotFoundError:  # a source tree on PYTHONPATH without an install
        return "unknown (not installed)"


def _incidents(args: argparse.Namespace) -> int:
    from eventcoder.incidents.cli import run_incidents

    try:
        print(run_incidents(args.input, args.output, config=args.config, engine=args.engine,
                            window_days=args.window_days, best=args.best))
    except ValueError as e:  # a bad record or setting: named by file, row and field
        print(f"eventcoder incidents: error: {e}", file=sys.stderr)
        return 1

def _card(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from eventcoder.model_card import write_card

    result = json.loads(Path(args.metrics).read_text()) if args.metrics else None
    # a card kept apart from its model dir says how it was made
    command = (f"eventcoder card --model {args.model}" + (f" --metrics {args.metrics}" if args.metrics else "")
               + f" --out {args.out}") if args.out else None
    print(write_card(args.model, result, args.out, command))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventcoder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"eventcoder {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, summary) in HYDRA_COMMANDS.items():
        sub.add_parser(name, help=f"{summary}; Hydra overrides follow", add_help=False)
    p = sub.add_parser("schema", help="write the JSON Schemas of Article, Casualty, Prediction")
    p.add_argument("--out", default="schemas", help="output folder (default: schemas/)")
    p.set_defaults(func=_schema)
    p = sub.add_parser("numbers", help="print the number mentions of a text file (or stdin) as JSONL")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=_numbers)
    p = sub.add_parser("predict", help="code a JSONL/CSV/Parquet file, a .txt article or a folder of .txt articles")
    p.add_argument("--input", required=True, nargs="+",
                   help="input file (with --engine ray: files or folders of shards)")
    p.add_argument("--output", required=True, help="output JSONL (with --engine ray: a new folder)")
    p.add_argument("--model", required=True, help="model directory")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="windows per forward pass")
    p.add_argument("--chunk-size", type=int, default=256, help="rows per resumable chunk")
    p.add_argument("--backend", choices=BACKEND_CHOICES, default="auto")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--device", type=_device, default="cpu",
                   help="torch backends: cpu, cuda, cuda:N or auto (default: cpu)")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="ray: Ray Data over the cluster at RAY_ADDRESS (else a local Ray); pip install eventcoder[ray]")
    p.add_argument("--workers", type=int, default=None, help="Ray: predictor actors (default: one per CPU)")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet"], default=None,
                   help="jsonl records, or a flat csv or parquet table (one row per article); default: by the "
                        "output's extension, else jsonl (Ray: shards of that format)")
    p.add_argument("--text-column", help="column (JSONL key) holding the article text (default: text)")
    p.add_argument("--title-column", help="column holding the headline, put first as in training (default: title)")
    p.add_argument("--id-column", help="column holding the id echoed in every record and error (default: id)")
    p.add_argument("--source", choices=export_sources(),
                   help="an analysts' export: its text, id and cleanup from configs/data/source/<source>.yaml")
    p.set_defaults(func=_predict)
    p = sub.add_parser("serve", help="HTTP server: POST /predict, GET /health, GET /model")
    p.add_argument("--model", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--backend", choices=BACKEND_CHOICES, default="auto")
    p.add_argument("--device", type=_device, default="cpu",
                   help="torch backends: cpu, cuda, cuda:N or auto (default: cpu)")
    p.set_defaults(func=_serve)
    p = sub.add_parser("export", help="write model.onnx (and model.int8.onnx with --int8), time the backends, record the default")
    p.add_argument("--model", required=True)
    p.add_argument("--int8", action="store_true")
    p.add_argument("--no-choose", dest="choose", action="store_false",
                   help="skip timing the backends on the sample test split (backend.json: what auto uses)")
    p.add_argument("--min-agreement", type=float, default=0.99,
                   help="a backend must match fp32 torch on this share of event types and of totals")
    p.set_defaults(func=_export)
    p = sub.add_parser("incidents", help="group coded articles into incidents with low/best/high figures (JSONL)")
    p.add_argument("--input", required=True, help="coded records (JSONL, as eventcoder predict writes)")
    p.add_argument("--output", required=True, help="incident records (JSONL)")
    p.add_argument("--config", default=None, help="settings file (default: configs/incidents.yaml)")
    p.add_argument("--window-days", type=int, default=None, help="event dates at most this many days apart")
    p.add_argument("--best", choices=["latest", "conservative", "median"], default=None, help="the best figure's rule")
    p.add_argument("--engine", choices=["local", "ray"], default="local", help="ray: one task per country")
    p.set_defaults(func=_incidents)
    p = sub.add_parser("card", help="write a model dir's card (README.md) from its files and an evaluation's metrics.json")
    p.add_argument("--model", required=True, help="model directory")
    p.add_argument("--metrics", default=None, help="metrics.json of `python -m eventcoder.evaluate` (e.g. reports/real)")
    p.add_argument("--out", default=None, help="where to write the card (default: MODEL/README.md)")
    p.set_defaults(func=_card)
    return parser


def _run_hydra(command: str, overrides: Sequence[str]) -> int:
    """Run a Hydra entry point as if called `python -m <module> OVERRIDES...`."""
    module = importlib.import_module(HYDRA_COMMANDS[command][0])
    saved = sys.argv
    sys.argv = [f"eventcoder {command}", *overrides]
    try:
        module.main()
    finally:
        sys.argv = saved
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in HYDRA_COMMANDS:
        return _run_hydra(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (OSError, ImportError, RecordError) as e:
        # a missing column or input, an unwritable output, a missing extra: one line naming the file, exit 1
        print(f"eventcoder {args.command}: error: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
