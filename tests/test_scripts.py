"""The one-command recipes in scripts/ compose: every step's overrides name real config keys and groups.

Each recipe runs for up to an hour; a typo in its last step would surface only then. Their dry run
(EVENTCODER_DRY_RUN=1) prints the commands, and each is composed here with the config its entry
point uses, as Hydra would at the start of that step.
"""
import json
import os
import shlex
import subprocess
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import pytest

from conftest import compose_config
from eventcoder.eval_sets import rewrite_argv

ROOT = Path(__file__).resolve().parents[1]
CONFIG_OF = {"eventcoder.data.build": "build_data", "eventcoder.train": "train",
             "eventcoder.evaluate": "evaluate", "eventcoder.crosstune": "evaluate", "eventcoder.fit_toll": "toll",
             "eventcoder.soup": "soup"}
RECIPES = ["run_real_articles_mpnet.sh", "run_real_articles.sh"]  # the adopted model, the fast tier


def dry_run(script: str) -> list[list[str]]:
    """The entry-point commands a recipe would run, as argument lists."""
    env = {**os.environ, "EVENTCODER_DRY_RUN": "1"}
    out = subprocess.run(["bash", str(ROOT / "scripts" / script)], env=env, capture_output=True,
                         text=True, check=True).stdout
    return [shlex.split(line) for line in out.splitlines() if " -m eventcoder." in line]


@pytest.mark.parametrize("script", RECIPES)
def test_every_step_of_a_recipe_composes(script):
    commands = dry_run(script)
    assert len(commands) >= 4  # build, two training stages, evaluate
    for argv in commands:
        assert argv[1] == "-m" and argv[2] in CONFIG_OF, argv
        overrides = argv[3:]
        if CONFIG_OF[argv[2]] in ("evaluate", "toll"):
            overrides = rewrite_argv(overrides)
        cfg = compose_config(CONFIG_OF[argv[2]], overrides)
        for item in overrides:  # each top-level text setting reaches the composed config as given
            key, _, value = item.partition("=")
            if key in cfg and isinstance(cfg[key], str):
                assert cfg[key] == value, (script, key)


@pytest.mark.parametrize("script", RECIPES)
def test_a_recipe_evaluates_the_model_it_trains(script):
    commands = dry_run(script)
    stages = [compose_config("train", a[3:]) for a in commands if a[2] == "eventcoder.train"]
    assert len(stages) >= 2
    for before, after in pairwise(stages):
        assert after.init_from == f"models/{before.run_name}"  # each stage continues from the one before
    final = f"models/{stages[-1].run_name}"
    for argv in commands:
        if argv[2] == "eventcoder.soup":  # a weight average of stages the recipe trained becomes the model
            soup = compose_config("soup", argv[3:])
            assert len(soup.models) >= 2 and set(soup.models) <= {f"models/{s.run_name}" for s in stages}
            final = soup.output
        if argv[2] in ("eventcoder.evaluate", "eventcoder.crosstune", "eventcoder.fit_toll"):
            assert f"model={final}" in argv


def test_the_rule_ablation_scores_each_rule_and_setting_on_both_sets(trained, tmp_path, monkeypatch):
    """scripts/rule_ablation.py, on the tiny model and two splits of the sample corpus: every rule and
    fitted setting gets a gain on each set and a verdict, and the report names the command."""
    import importlib.util
    import sys

    from eventcoder.settings import names

    spec = importlib.util.spec_from_file_location("rule_ablation", ROOT / "scripts" / "rule_ablation.py")
    ablation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ablation)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["rule_ablation.py", "--model", str(trained), "--sets", "sample@validation",
                                      "sample", "--out", str(tmp_path / "ablation")])
    ablation.main()
    report = (tmp_path / "ablation" / "report.md").read_text()
    result = json.loads((tmp_path / "ablation" / "metrics.json").read_text())
    assert set(result["rules"]) == set(names("casualties")) == {"learned_toll"}
    assert {g for g, _ in ablation.SETTING_GROUPS} == set(result["settings"])
    for by_set in (*result["rules"].values(), *result["settings"].values()):
        assert {"sample", "sample@validation"} <= set(by_set) and isinstance(by_set["pays"], bool)
    assert set(result["directions"]["sample"]) == {"defaults, no fit", "fitted on sample@validation",
                                                   "fitted on sample (in sample)"}
    assert "python scripts/rule_ablation.py --model" in report and "## Switches" in report


def test_toll_pools_fits_a_step_per_pool_and_never_scores_a_set_it_was_fitted_on(trained, tmp_path, monkeypatch):
    """scripts/toll_pools.py on the tiny model: each scored set gets a row without a step and one per
    pool that does not hold it, and the report names the command."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("toll_pools", ROOT / "scripts" / "toll_pools.py")
    pools = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pools)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["toll_pools.py", "--model", str(trained), "--held", "sample@validation",
                                      "--score", "sample", "--out", str(tmp_path / "pools")])
    pools.main()
    result = json.loads((tmp_path / "pools" / "metrics.json").read_text())
    rows = result["scored"]["sample"]
    assert list(rows)[0] == "no step" and any(name.startswith("held-out (") for name in rows)
    assert not any(name.startswith("sample (") or "+ sample" in name for name in rows)  # in sample: left out
    assert all(f["articles"] == rows["no step"]["articles"] and "killed exact, reported" in f for f in rows.values())
    assert "python scripts/toll_pools.py --model" in (tmp_path / "pools" / "report.md").read_text()


def _load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (the scripts are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_encoder_probe_reads_each_article_once_and_embeds_its_first_windows(tmp_path):
    """scripts/encoder_probe.py: a weighted source's repeated rows count once, other sources are left
    out, and each text becomes one unit-length mean of its first windows (a longer text's later
    windows change it only when asked for)."""
    import datasets
    import numpy as np

    from eventcoder.backbones import tiny_encoder_dir

    probe = _load_script("encoder_probe")
    rows = {"id": ["a", "a", "b", "g"], "source": ["train_articles", "train_articles", "train_articles", "gtd"],
            "text": ["Troops clashed.", "Troops clashed.", "A protest.", "A bomb."],
            "event_type": ["battles", "battles", "protests", "explosions_remote_violence"]}
    datasets.DatasetDict({"train": datasets.Dataset.from_dict(rows)}).save_to_disk(str(tmp_path / "ds"))
    assert probe._articles(str(tmp_path / "ds"), "train", "train_articles") == (
        ["Troops clashed.", "A protest."], ["battles", "protests"])
    assert len(probe._articles(str(tmp_path / "ds"), "train", None)[0]) == 3

    backbone = tiny_encoder_dir(str(tmp_path / "tiny"))
    short, long = "Two soldiers were killed.", " ".join(f"word{i} fell in town{i}." for i in range(120))
    one = probe.embed(backbone, [short, long], 64, 1)
    four = probe.embed(backbone, [short, long], 64, 4)
    assert one.shape[0] == 2 and np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
    assert np.allclose(one[0], four[0], atol=1e-6) and not np.allclose(one[1], four[1], atol=1e-4)


def test_the_stripped_text_check_strips_the_body_the_way_scraped_copy_comes():
    """scripts/stripped_text_check.py: the body loses its sentence full stops, commas, apostrophes,
    quotation marks and paragraph breaks; the headline, its blank line and decimal points stay."""
    check = _load_script("stripped_text_check")
    text = 'Blast kills 4 in Kano\n\nA bomb killed 4 people, police said. "It was 2.5 km away," he said.\n\nThe group\'s leader fled.'
    assert check.strip_punctuation(text) == (
        "Blast kills 4 in Kano\n\nA bomb killed 4 people police said It was 2.5 km away he said The groups leader fled.")
