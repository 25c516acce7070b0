"""Faults injected for real: processes killed with SIGKILL mid-run, then restarted."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import compose_train  # noqa: F401  (keeps the fixture module importable)


def wait_for(predicate, timeout: float = 300.0) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_batch_cli_killed_mid_run_gives_each_input_exactly_once(trained, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Police said {i % 50} people were hurt near the "
                                       f"market on Friday, and {i % 7} soldiers died."}) + "\n" for i in range(3000)))
    cmd = [sys.executable, "-m", "eventcoder.cli", "predict", "--input", str(inp), "--output", str(out),
           "--model", str(trained), "--chunk-size", "100", "--no-progress", "--backend", "torch"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = Path(str(out) + ".partial")
    assert wait_for(lambda: proc.poll() is not None or len(list(partial.glob("chunk-*.jsonl"))) >= 2)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # complete or absent
    done = len(list(partial.glob("chunk-*.jsonl")))
    assert 2 <= done < 30
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"({done} chunks resumed)" in again.stdout
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert ids == [f"a{i}" for i in range(3000)]


def test_training_killed_mid_epoch_resumes_to_a_complete_model(tmp_path):
    base = [sys.executable, "-m", "eventcoder.train", "experiment=tiny", f"output_dir={tmp_path / 'model'}",
            f"dataset_dir={tmp_path / 'data'}", "progress=false", "max_eval_windows=10",
            "trainer.max_steps=60", "trainer.save_steps=5", "trainer.eval_steps=5", "trainer.logging_steps=5",
            "trainer.early_stopping_patience=null"]
    proc = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ckpts = tmp_path / "model" / "checkpoints"
    assert wait_for(lambda: proc.poll() is not None or any((p / "trainer_state.json").is_file()
                                                            for p in ckpts.glob("checkpoint-*")))
    assert proc.poll() is None, "training ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "model" / "model.safetensors").exists()
    first = max(int(p.name.split("-")[1]) for p in ckpts.glob("checkpoint-*")
                if (p / "trainer_state.json").is_file())
    assert first < 60
    again = subprocess.run([*base, "resume=true"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    state = json.loads(max(ckpts.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
                       .joinpath("trainer_state.json").read_text())
    assert state["global_step"] == 60
    assert (tmp_path / "model" / "model.safetensors").is_file()
    losses = [h["step"] for h in state["log_history"] if "loss" in h]
    assert losses[0] == 5  # the history before the kill was kept: resumed, not restarted


def _limit_file_size(max_bytes: int):
    """preexec_fn: a file-size limit the kernel enforces (EFBIG, as when the disk fills mid-write)."""
    import resource

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with an error instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_full_output_location_gives_a_clear_error_and_no_partial_file(trained, tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Police said {i} people were hurt near the "
                                       f"market, and {i % 7} soldiers died."}) + "\n" for i in range(300)))

    def run(out: Path, limit: int | None = None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "eventcoder.cli", "predict", "--input", str(inp), "--output", str(out),
               "--model", str(trained), "--chunk-size", "100", "--no-progress", "--backend", "torch"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                              preexec_fn=_limit_file_size(limit) if limit else None)

    reference = tmp_path / "ref" / "out.jsonl"
    assert run(reference).returncode == 0
    out = tmp_path / "out" / "out.jsonl"
    partial = Path(str(out) + ".partial")
    # no room for even one chunk, then room for each 100-row chunk but not for the merged output
    for limit, failing_file, chunks_kept in ((4_000, "chunk-0000000.jsonl", 0),
                                             (reference.stat().st_size // 2, str(out), 3)):
        full = run(out, limit)
        assert full.returncode == 1, full.stderr[-2000:]
        assert "Traceback" not in full.stderr
        assert "cannot write" in full.stderr and "File too large" in full.stderr and failing_file in full.stderr
        assert str(partial) in full.stderr  # says where the finished chunks wait for the rerun
        assert not out.exists()
        assert not list(tmp_path.rglob("*.tmp")), "a temp file was left behind"
        assert len(list(partial.glob("chunk-*.jsonl"))) == chunks_kept
    again = run(out)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "3 chunks resumed" in again.stdout
    assert out.read_text() == reference.read_text()
