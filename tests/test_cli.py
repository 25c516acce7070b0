"""The one `eventcoder` command: Hydra entry points as subcommands with their overrides, --version."""
from __future__ import annotations

import pytest

from eventcoder.cli import HYDRA_COMMANDS, main


def test_a_hydra_subcommand_composes_its_config_with_the_overrides_given(capsys):
    assert main(["train", "--cfg", "job", "experiment=tiny", "seed=123"]) == 0
    out = capsys.readouterr().out
    assert "seed: 123" in out and "run_name:" in out
    assert main(["build", "--cfg", "job", "data=sample"]) == 0
    assert "sources:" in capsys.readouterr().out


def test_every_hydra_subcommand_names_a_module_with_a_main():
    import importlib

    for name, (module, _) in HYDRA_COMMANDS.items():
        assert callable(getattr(importlib.import_module(module), "main", None)), name


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("eventcoder ")


def test_a_bad_device_is_one_usage_line_and_serve_takes_one_too(capsys):
    from eventcoder.cli import build_parser

    with pytest.raises(SystemExit) as e:
        main(["predict", "--input", "in.jsonl", "--output", "o.jsonl", "--model", "m", "--device", "gpu0"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "'gpu0': cpu, cuda, cuda:N or auto" in err
    assert build_parser().parse_args(["serve", "--model", "m", "--device", "cuda:1"]).device == "cuda:1"
