"""Atomic writes leave files and folders a colleague can read, as the user's umask says."""
import os
import stat
import subprocess
import sys

from eventcoder.io import atomic_dir, atomic_write_text


def test_atomic_files_and_folders_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        f = atomic_write_text(tmp_path / "out" / "a.json", "{}")
        with atomic_dir(tmp_path / "report") as d:
            (d / "report.md").write_text("x")
        assert stat.S_IMODE(f.stat().st_mode) == 0o644
        assert stat.S_IMODE((tmp_path / "report").stat().st_mode) == 0o755
        os.umask(0o077)
        private = atomic_write_text(tmp_path / "private.json", "{}")
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_importing_the_library_sets_no_environment_variable():
    code = ("import os; before = dict(os.environ); import eventcoder.predictor, eventcoder.backbones, "
            "eventcoder.train, eventcoder.evaluate; print(sorted(set(os.environ) - set(before)))")
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TOKENIZERS_PARALLELISM")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
