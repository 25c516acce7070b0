"""The wheel works outside the checkout: built from the project's files, installed in a new virtual
environment, it composes the training config from the configs it ships, and finds its sample corpus.

Offline and quick: the wheel is built without build isolation, installed without dependencies, and
the new environment reads the dependencies of the environment running the tests through a .pth file
(whose own .pth files, such as an editable install of eventcoder, are not processed).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# runs in the new environment, in a folder outside the checkout
COMPOSE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from hydra import compose, initialize_config_dir
    import eventcoder.paths as P
    from eventcoder.taxonomy import load_taxonomy

    with initialize_config_dir(config_dir=str(P.CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=["experiment=tiny"])
    print(json.dumps({
        "package": str(Path(P.__file__).parent), "in_checkout": P.IN_CHECKOUT, "config_dir": str(P.CONFIG_DIR),
        "run_name": cfg.run_name, "backbone": cfg.model.backbone, "max_steps": cfg.trainer.max_steps,
        "output_dir": str(P.repo_path(cfg.output_dir)),
        "sample": sorted(p.name for p in P.repo_path(cfg.data.sources.sample.path).glob("*.jsonl")),
        "numbers": P.repo_path(cfg.build.numbers).is_file(),
        "event_labels": load_taxonomy(cfg.taxonomy).event_labels,
    }))
""")


def _build_wheel(dest: Path) -> Path:
    """Build from a copy of the files the wheel is made of, so the checkout gets no build/ folder."""
    src = dest / "project"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("src", "configs", "data/sample"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(dest / "dist"), str(src)], check=True, capture_output=True, text=True)
    (wheel,) = (dest / "dist").glob("eventcoder-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_holds_every_module_the_configs_and_the_sample_corpus(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "eventcoder").rglob("*.py")}
    assert modules - names == set(), "a package under src/ is missing from pyproject's packages list"
    configs = {"eventcoder/configs/" + p.relative_to(ROOT / "configs").as_posix()
               for p in (ROOT / "configs").rglob("*.yaml")}
    assert configs - names == set()
    assert "eventcoder/configs/data/source/sample.yaml" in names  # config groups nest without __init__.py
    sample = {"eventcoder/sample_data/" + p.name for p in (ROOT / "data" / "sample").glob("*.jsonl")}
    assert sample and sample <= names
    assert "eventcoder/number_words.yaml" in names


def test_installed_wheel_composes_the_training_config_outside_the_checkout(wheel, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "EVENTCODER_"))}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
                    "--force-reinstall", str(wheel)], env=env, check=True, capture_output=True, text=True)
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # torch, hydra, ... of this env
    work = tmp_path / "work"
    work.mkdir()
    out = subprocess.run([str(py), "-c", COMPOSE], cwd=work, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(got["package"]).is_relative_to(venv)  # the installed copy, not the checkout's source
    assert got["in_checkout"] is False
    assert Path(got["config_dir"]) == Path(got["package"]) / "configs"
    assert (got["run_name"], got["backbone"], got["max_steps"]) == ("tiny-sample", "tiny", 4)  # experiment=tiny
    assert Path(got["output_dir"]) == work / "models" / "tiny-sample"  # relative paths: the working directory's
    assert got["sample"] == sorted(p.name for p in (ROOT / "data" / "sample").glob("*.jsonl"))
    assert got["numbers"] is True
    assert "battles" in got["event_labels"]
    assert (venv / "bin" / "eventcoder").is_file()
