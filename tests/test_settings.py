"""The decoding settings: one typed object, stated whole in every model directory and read back."""
import json

import pytest

from eventcoder.settings import SETTINGS_FILE, DecodeSettings, default, names


def test_every_setting_has_one_group_and_one_default():
    assert len(names()) == len(set(names())) == len(names("event")) + len(names("casualties"))
    assert DecodeSettings.group_of("lead_weight") == "event" and DecodeSettings.group_of("learned_toll") == "casualties"
    assert default("learned_toll") is True
    assert default("lead_weight") == 1.0 and default("lexical_weight") == 0.0
    with pytest.raises(ValueError, match="'lead_wieght' is not a decoding setting"):
        DecodeSettings().set("lead_wieght", 2.0)


def test_a_value_is_validated_and_converted_to_its_type():
    s = DecodeSettings()
    s.set("lead_weight", "3")
    s.set("learned_toll", "false")
    assert s.get("lead_weight") == 3.0 and isinstance(s.get("lead_weight"), float)
    assert s.get("learned_toll") is False
    with pytest.raises(ValueError):
        s.set("learned_toll", "perhaps")


def test_a_model_directory_states_every_setting_and_reads_them_back(tmp_path):
    s = DecodeSettings()
    s.set("lexical_weight", 0.3)
    s.set("learned_toll", False)
    s.fitted_on = "dev_articles test (74 articles)"
    s.save(tmp_path)
    stored = json.loads((tmp_path / SETTINGS_FILE).read_text())
    assert set(stored["event"]) | set(stored["casualties"]) == set(names())
    back = DecodeSettings.load(tmp_path)
    assert back == s and back.get("lexical_weight") == 0.3 and back.get("learned_toll") is False


def test_an_older_directory_with_flat_fitted_values_keeps_them(tmp_path):
    (tmp_path / "calibration.json").write_text(json.dumps({"lead_weight": 3.0, "fitted_on": "x", "grid": {}}))
    s = DecodeSettings.load(tmp_path)
    assert s.get("lead_weight") == 3.0 and s.fitted_on == "x" and s.get("learned_toll") is True
    assert DecodeSettings.load(tmp_path / "none") == DecodeSettings()


def test_a_directory_storing_switches_of_removed_rules_loads_without_them(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"event": {"lead_weight": 5.0},
                                                      "rules": {"drop_background": True}}))
    assert DecodeSettings.load(tmp_path).get("lead_weight") == 5.0
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"event": {"lead_weight": 5.0}, "casualties": {"learned_tol": 1}}))
    with pytest.raises(ValueError, match="learned_tol"):  # a misspelt setting is still refused
        DecodeSettings.load(tmp_path)


def test_a_bad_settings_file_names_itself(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"event": {"lead_weight": "heavy"}}))
    with pytest.raises(ValueError, match=SETTINGS_FILE):
        DecodeSettings.load(tmp_path)


def test_a_trained_model_directory_states_its_settings_and_the_predictor_runs_with_them(trained, tmp_path):
    import shutil

    from eventcoder.predictor import Predictor

    assert DecodeSettings.load(trained) == DecodeSettings()  # training writes the defaults, stated
    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    s = DecodeSettings()
    s.set("lead_weight", 4.0)
    s.save(d)
    p = Predictor.from_pretrained(d)
    assert p.lead_weight == 4.0 and p.settings.get("lead_weight") == 4.0
    p.learned_toll = False  # by name on the predictor: the same object
    assert p.settings.casualties.learned_toll is False
