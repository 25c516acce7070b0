"""Train: compose config → dataset → windows → `transformers.Trainer` → save_pretrained + model card.

    python -m eventcoder.train experiment=sample
    python -m eventcoder.train experiment=sample resume=true          # after an interrupt
    python -m eventcoder.train -m trainer.learning_rate=3e-5,5e-5     # Hydra multirun sweep
    torchrun --nproc_per_node=2 -m eventcoder.train trainer=ddp ...   # DDP (gloo on CPU)

Everything here is callable without Hydra: `train_model(cfg)` takes a composed DictConfig.
"""
from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)

TRAINER_EXTRA_KEYS = {"early_stopping_patience"}


def resolve_backbone_dir(name: str, cache_root: Path) -> str:
    """`tiny` is built on first use under models/.cache; other names resolve via backbones."""
    from eventcoder.backbones import resolve_backbone

    if name == "tiny":
        path = cache_root / "tiny-bert"
        if not (path / "config.json").is_file():
            from eventcoder.backbones import tiny_encoder_dir

            tiny_encoder_dir(str(path))
        return str(path)
    return str(resolve_backbone(name))


def load_or_build_dataset(cfg: DictConfig):
    import datasets

    from eventcoder.data.build import build_dataset
    from eventcoder.paths import repo_path

    ddir = repo_path(cfg.dataset_dir)
    if not (ddir / "dataset").is_dir() and int(os.environ.get("RANK", "0")) != 0:
        import time

        for _ in range(3600):  # under torchrun, rank 0 builds; the others wait for it
            if (ddir / "dataset").is_dir():
                break
            time.sleep(1)
    from filelock import FileLock

    ddir.parent.mkdir(parents=True, exist_ok=True)
    # the jobs of a sweep run side by side (joblib, submitit) share one dataset dir: one builds it, the
    # others wait and read it (two builds would swap the directory out under the other's cache files)
    with FileLock(str(ddir.parent / f".{ddir.name}.lock")):
        if (ddir / "dataset").is_dir() and int(os.environ.get("RANK", "0")) == 0 and _build_is_stale(ddir, cfg):
            log.warning("dataset %s was built from another data config or other input files: rebuilding it", ddir)
            build_dataset(cfg, target_dir=ddir)
        if not (ddir / "dataset").is_dir():
            if not cfg.get("build_if_missing", True):
                raise FileNotFoundError(f"dataset {ddir} not built: run python -m eventcoder.data.build "
                                        f"data={cfg.data.name}")
            build_dataset(cfg, target_dir=ddir)
    return datasets.load_from_disk(str(ddir / "dataset")), ddir


def _build_is_stale(ddir: Path, cfg: DictConfig) -> bool:
    """True when the dataset's stats.json records a data config other than the one composed now
    (e.g. a changed weight or cap) or input files whose bytes have changed since (an edited, added
    or removed file), so a stale build is never trained on silently."""
    from eventcoder.data.build import input_digests

    stats = ddir / "stats.json"
    if not stats.is_file():
        return False
    try:
        stored = json.loads(stats.read_text())
    except json.JSONDecodeError:
        return True
    config, inputs = stored.get("config"), stored.get("inputs")
    if config is not None and config != OmegaConf.to_container(cfg.data, resolve=False):
        return True
    return inputs is not None and inputs != input_digests(cfg.data)


def continue_from(model_dir: str, taxonomy: Any, **config_updates: Any) -> Any:
    """A trained eventcoder model to train further (`init_from`), with this run's class weights; its
    label maps must be the taxonomy's, or the message names its label file."""
    from eventcoder.model import EventCoderModel
    from eventcoder.model_dir import LABEL_MAPS_FILE, check_model_dir

    p = check_model_dir(model_dir)
    model = EventCoderModel.from_pretrained(str(p))
    if list(model.config.event_labels) != taxonomy.event_labels or \
            list(model.config.mention_labels) != taxonomy.mention_labels:
        raise ValueError(f"{p / LABEL_MAPS_FILE}: labels differ from taxonomy {taxonomy.name!r}")
    for key, value in config_updates.items():
        setattr(model.config, key, value)
    return model


def class_weights(labels: list[int], n: int, mode: str) -> list[float] | None:
    """Weights for cross-entropy from label frequencies (ignored labels excluded), mean 1."""
    if mode in (None, "none"):
        return None
    counts = Counter(x for x in labels if x >= 0)
    raw = []
    for k in range(n):
        c = counts.get(k, 0)
        raw.append(0.0 if c == 0 else (1 / c if mode == "inverse" else 1 / math.sqrt(c)))
    seen = [w for w in raw if w > 0]
    mean = sum(seen) / len(seen) if seen else 1.0
    return [w / mean if w > 0 else 1.0 for w in raw]


def make_compute_metrics(num_mention_labels: int):
    from sklearn.metrics import accuracy_score, f1_score

    def compute_metrics(eval_pred) -> dict[str, float]:
        preds, labels = eval_pred.predictions, eval_pred.label_ids
        event_logits, mention_logits = preds[0], preds[1]
        event_labels, mention_labels = labels[0], labels[1]
        keep = event_labels != -100
        ev_pred = event_logits.argmax(-1)[keep]
        ev_gold = event_labels[keep]
        out = {"event_accuracy": float(accuracy_score(ev_gold, ev_pred)) if keep.any() else 0.0,
               "event_macro_f1": float(f1_score(ev_gold, ev_pred, average="macro")) if keep.any() else 0.0}
        m = mention_labels.reshape(-1)
        mp = mention_logits.reshape(-1, mention_logits.shape[-1]).argmax(-1)
        ok = m != -100
        m, mp = m[ok], mp[ok]
        pos = list(range(1, num_mention_labels))
        out["mention_f1"] = float(f1_score(m, mp, labels=pos, average="micro", zero_division=0)) if ok.any() else 0.0
        out["combined_f1"] = (out["event_macro_f1"] + out["mention_f1"]) / 2
        return out

    return compute_metrics


def _trainer_class():
    from transformers import Trainer

    class EventCoderTrainer(Trainer):
        """The Trainer with one change: the freshly initialised heads learn at their own rate."""

        head_learning_rate: float = 1e-3

        def create_optimizer(self, model=None):
            if self.optimizer is None:
                import torch

                model = model or self.model
                groups: dict[tuple[bool, bool], list] = {}
                for name, param in model.named_parameters():
                    if not param.requires_grad:
                        continue
                    head = not name.startswith("encoder.")
                    decay = param.ndim > 1
                    groups.setdefault((head, decay), []).append(param)
                self.optimizer = torch.optim.AdamW(
                    [{"params": ps, "lr": self.head_learning_rate if head else self.args.learning_rate,
                      "weight_decay": self.args.weight_decay if decay else 0.0}
                     for (head, decay), ps in groups.items()], lr=self.args.learning_rate)
            return self.optimizer

    class DistillingTrainer(EventCoderTrainer):
        """Adds knowledge distillation: the loss mixes the gold labels' loss with the KL divergence
        from a frozen teacher's softened event and mention distributions (Hinton et al. 2015), on every
        window and every candidate mention, including those without a gold label."""

        teacher: Any = None
        distill_weight: float = 0.5
        distill_temperature: float = 2.0

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            import torch

            outputs = model(**inputs)
            features = {k: v for k, v in inputs.items() if not k.endswith("_labels")}
            with torch.no_grad():
                teacher_out = self.teacher(**features)
            t, a = self.distill_temperature, self.distill_weight
            kd = distillation_loss(outputs.event_logits, teacher_out.event_logits, t)
            if outputs.mention_logits is not None:
                real = inputs["mention_spans"][..., 1] > 0  # padded candidate slots have end 0
                if real.any():
                    kd = kd + model.config.mention_loss_weight * distillation_loss(
                        outputs.mention_logits[real], teacher_out.mention_logits[real], t)
            loss = (1 - a) * outputs.loss + a * kd
            return (loss, outputs) if return_outputs else loss

    return EventCoderTrainer, DistillingTrainer


def distillation_loss(student_logits, teacher_logits, temperature: float):
    """KL(teacher ‖ student) at a temperature, scaled by T² so its gradients keep their size."""
    import torch.nn.functional as F  # noqa: N812

    return F.kl_div(F.log_softmax(student_logits / temperature, -1), F.log_softmax(teacher_logits / temperature, -1),
                    reduction="batchmean", log_target=True) * temperature ** 2


def training_arguments(cfg: DictConfig, output_dir: Path):
    from transformers import TrainingArguments

    args = {k: v for k, v in OmegaConf.to_container(cfg.trainer, resolve=True).items()
            if k not in TRAINER_EXTRA_KEYS and v is not None}
    args.setdefault("save_strategy", args.get("eval_strategy", "epoch"))
    return TrainingArguments(output_dir=str(output_dir / "checkpoints"), seed=int(cfg.seed),
                             remove_unused_columns=False, label_names=["event_labels", "mention_labels"],
                             disable_tqdm=not cfg.get("progress", True),
                             **args)


def train_model(cfg: DictConfig) -> Path:
    """Train and save a model dir (weights, tokenizer, label maps, model card); return its path."""
    from transformers import AutoTokenizer, EarlyStoppingCallback, set_seed

    from eventcoder.features import WindowCollator, windows_for_training
    from eventcoder.io import atomic_dir
    from eventcoder.model import EventCoderModel
    from eventcoder.model_card import TRAINING_DATA, write_card
    from eventcoder.model_dir import LABEL_MAPS_FILE, METRICS_FILE, TRAINING_CONFIG_FILE, label_maps_text
    from eventcoder.paths import repo_path
    from eventcoder.settings import DecodeSettings
    from eventcoder.taxonomy import load_taxonomy

    set_seed(int(cfg.seed))
    taxonomy = load_taxonomy(cfg.taxonomy)
    out_dir = repo_path(cfg.output_dir)
    dsd, ddir = load_or_build_dataset(cfg)
    stats = json.loads((ddir / "stats.json").read_text())
    if stats["event_labels"] != taxonomy.event_labels or stats["mention_labels"] != taxonomy.mention_labels:
        raise ValueError(f"{ddir / 'stats.json'}: dataset labels do not match taxonomy {taxonomy.name!r}")
    lexical_split = dsd["train"]  # every source: a second stage's train_sources learned the rest in stage 1
    if cfg.get("train_sources"):  # e.g. a second stage on the full-length articles of the same dataset
        keep = set(cfg.train_sources)
        for split in ("train", "validation"):
            dsd[split] = dsd[split].filter(lambda r: r["source"] in keep, desc=f"{split}: sources {sorted(keep)}")
    holdout = cfg.get("holdout_fold")
    if holdout:  # cross-fitting: one fold of these sources' train rows stays out (eventcoder.crossfit)
        from eventcoder.data.split import in_fold

        before = len(dsd["train"])
        dsd["train"] = dsd["train"].filter(
            lambda r: not in_fold(r, holdout), desc=f"train: fold {holdout.fold} of {holdout.folds} left out")
        stats["holdout_rows"] = before - len(dsd["train"])
        lexical_split = lexical_split.filter(lambda r: not in_fold(r, holdout), desc="lexical: fold left out")
    init_from = cfg.get("init_from")
    backbone = (str(repo_path(init_from)) if init_from
                else resolve_backbone_dir(str(cfg.model.backbone), repo_path("models/.cache")))
    tokenizer = AutoTokenizer.from_pretrained(backbone)
    wl, ws = int(cfg.model.window_length), int(cfg.model.window_stride)
    hc = bool(cfg.model.get("headline_context", False))
    hw = bool(cfg.model.get("headline_windows", False))

    def to_windows(ds, cap):
        w = ds.map(lambda b: windows_for_training(tokenizer, b, wl, ws, hc, hw), batched=True,
                   remove_columns=ds.column_names, desc="windows")
        if cap:
            w = w.select(range(min(int(cap), len(w))))
        return w

    train_w = to_windows(dsd["train"], cfg.get("max_train_windows"))
    eval_w = to_windows(dsd["validation"], cfg.get("max_eval_windows"))
    mention_train = [x for row in train_w["mention_labels"] for x in row]
    mode = cfg.model.get("class_weighting", "sqrt_inverse")
    weights = {"event_class_weights": class_weights(train_w["event_labels"], len(taxonomy.event_labels), mode),
               "mention_class_weights": class_weights(mention_train, len(taxonomy.mention_labels), mode)}
    if init_from:
        # the windows are cut with this run's settings, so the saved model must read them the same way;
        # the loss weighting is this run's too
        model = continue_from(backbone, taxonomy, window_length=wl, window_stride=ws, headline_context=hc,
                              mention_loss_weight=float(cfg.model.mention_loss_weight), **weights)
        if cfg.get("keep_layers"):
            from eventcoder.model import keep_encoder_layers

            keep_encoder_layers(model, list(cfg.keep_layers))
    elif cfg.get("keep_layers"):
        raise ValueError("keep_layers needs init_from: a trained model whose layers the student keeps")
    else:
        model = EventCoderModel.from_backbone(
            backbone, taxonomy.event_labels, taxonomy.mention_labels, taxonomy=taxonomy.to_dict(),
            window_length=wl, window_stride=ws, headline_context=hc,
            mention_loss_weight=float(cfg.model.mention_loss_weight), classifier_dropout=float(cfg.model.classifier_dropout),
            mention_context=int(cfg.model.get("mention_context", 0)), **weights)
    args = training_arguments(cfg, out_dir)
    callbacks = []
    patience = cfg.trainer.get("early_stopping_patience")
    if patience and args.load_best_model_at_end:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=int(patience)))
    EventCoderTrainer, DistillingTrainer = _trainer_class()  # noqa: N806
    EventCoderTrainer.head_learning_rate = float(cfg.model.get("head_learning_rate") or args.learning_rate)
    distill = cfg.get("distill") or {}
    if distill.get("teacher"):
        EventCoderTrainer = DistillingTrainer  # noqa: N806
        DistillingTrainer.teacher = continue_from(str(repo_path(distill.teacher)), taxonomy).eval()
        DistillingTrainer.teacher.requires_grad_(False)
        DistillingTrainer.distill_weight = float(distill.get("weight", 0.5))
        DistillingTrainer.distill_temperature = float(distill.get("temperature", 2.0))
    trainer = EventCoderTrainer(model=model, args=args, train_dataset=train_w, eval_dataset=eval_w,
                      data_collator=WindowCollator(tokenizer.pad_token_id), processing_class=tokenizer,
                      compute_metrics=make_compute_metrics(len(taxonomy.mention_labels)), callbacks=callbacks)
    resume = cfg.get("resume", False)
    if resume is True:  # the newest checkpoint written to the end (none: start afresh)
        resume = last_complete_checkpoint(out_dir / "checkpoints")
    train_result = trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    metrics = trainer.evaluate()
    if not trainer.is_world_process_zero():
        return out_dir
    with atomic_dir(out_dir / "final.tmpdir") as tmp:
        trainer.model.save_pretrained(str(tmp))
        tokenizer.save_pretrained(str(tmp))
        (tmp / LABEL_MAPS_FILE).write_text(label_maps_text(taxonomy.event_labels, taxonomy.mention_labels,
                                                           taxonomy.to_dict()))
        (tmp / TRAINING_CONFIG_FILE).write_text(OmegaConf.to_yaml(cfg, resolve=True))
        (tmp / METRICS_FILE).write_text(json.dumps({"validation": metrics,
                                                    "train": train_result.metrics}, indent=2) + "\n")
        (tmp / TRAINING_DATA).write_text(json.dumps(stats, indent=2) + "\n")  # what the card's counts come from
        lexical = bool(cfg.get("lexical", True)) and write_lexical(lexical_split, tmp)
        DecodeSettings().save(tmp)  # the defaults until evaluate or crosstune fits them: stated, not implied
        write_card(tmp, name=out_dir.name)
    # move the finished files into the run dir (checkpoints and logs stay beside them)
    final = out_dir / "final.tmpdir"
    for f in final.iterdir():
        os.replace(f, out_dir / f.name)
    shutil.rmtree(final, ignore_errors=True)
    if not lexical:  # an earlier run's lexical model does not belong to these weights
        from eventcoder.model_dir import LEXICAL_FILES

        for name in LEXICAL_FILES:
            (out_dir / name).unlink(missing_ok=True)
    return out_dir


def last_complete_checkpoint(checkpoints: Path) -> Path | None:
    """The newest `checkpoint-N` whose trainer state parses and whose weights are there. A run killed
    while the Trainer wrote a checkpoint leaves it half-written (an empty trainer_state.json), and
    resuming from it would fail; the one before it is whole."""
    def step(p: Path) -> int:
        tail = p.name.rpartition("-")[2]
        return int(tail) if tail.isdigit() else -1

    for ckpt in sorted(checkpoints.glob("checkpoint-*"), key=step, reverse=True):
        try:
            json.loads((ckpt / "trainer_state.json").read_text())
        except (OSError, ValueError):
            log.warning("checkpoint %s is incomplete (trainer_state.json unreadable): not resumed from", ckpt)
            continue
        if any(ckpt.glob("model*.safetensors")) or any(ckpt.glob("pytorch_model*.bin")):
            return ckpt
        log.warning("checkpoint %s has no weights: not resumed from", ckpt)
    return None


def write_lexical(train_split: Any, model_dir: Path) -> bool:
    """Fit and store the lexical event-type model (`eventcoder.lexical`) on the train rows; a split
    with fewer than two event types gets none (the decoding then has no lexical reading to weigh)."""
    from eventcoder.lexical import LexicalModel, training_rows

    texts, labels = training_rows(train_split)
    if len(set(labels)) < 2:
        log.warning("no lexical model: the train split has %d event type(s)", len(set(labels)))
        return False
    LexicalModel.fit(texts, labels).save(model_dir)
    return True


def _leave_process_group() -> None:
    """Under torchrun, close the gloo group before the interpreter exits: its worker threads, left
    running into shutdown, can abort a rank ("terminate called without an active exception")."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def main() -> None:
    import hydra

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # the entry point's own process only

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="train")
    def _run(cfg: DictConfig) -> float:
        out = train_model(cfg)
        _leave_process_group()
        if int(os.environ.get("RANK", "0")) != 0:
            return float("nan")
        metrics = json.loads((out / "metrics.json").read_text())["validation"] if (out / "metrics.json").exists() else {}
        print(f"model saved: {out} (validation {json.dumps({k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)})})")
        return float(metrics.get("eval_combined_f1", np.nan))

    _run()


if __name__ == "__main__":
    main()
