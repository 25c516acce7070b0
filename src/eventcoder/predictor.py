"""Prediction: `Predictor.from_pretrained(dir)`, `Predictor.__call__(texts)`, `predict(texts, model=dir)`.

Every window of every article is read (length-sorted batches, dynamic padding); window logits are
merged per article (event: weighted mean of log-probabilities, the lead window weighing
`lead_weight` and the headline, read on its own as one more short window, `headline_weight`;
mention: mean over the windows that hold it; with a lexical model in the model dir, its reading of
the whole text weighs `lexical_weight`, see `eventcoder.lexical`); the learned toll step
(`eventcoder.toll`) picks the figures of the event's toll from the mention scores, and the article's
totals come from `casualties.aggregate`, so each figure points to its evidence. An article coded `none` reports no
casualty figures (accidents and figurative "killed" are not events).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import torch

from eventcoder.batch import DEFAULT_BATCH_SIZE
from eventcoder.casualties import aggregate, sentence_spans
from eventcoder.model_dir import check_label_maps, check_model_dir, default_backend
from eventcoder.numbers import NumbersConfig, find_mentions
from eventcoder.settings import DecodeSettings
from eventcoder.settings import names as setting_names
from eventcoder.taxonomy import OUTSIDE

SETTING_NAMES = frozenset(setting_names())


def resolve_device(device: str | torch.device | None) -> torch.device:
    """A torch.device from "cpu", "cuda", "cuda:N", "auto" (cuda when available) or None (cpu)."""
    if device is None:
        return torch.device("cpu")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        return torch.device(device)
    except RuntimeError as e:
        raise ValueError(f"device {device!r}: {e} (cpu, cuda, cuda:N, auto or a torch.device)") from None


class ArticleScores(NamedTuple):
    """The model's raw output for one article, before calibration settings are applied."""

    window_event_log_probs: torch.Tensor  # [windows, event labels], windows in reading order
    mentions: list  # candidate count mentions (numbers.Mention)
    mention_probs: torch.Tensor  # [mentions, mention labels], averaged over the windows holding each
    mention_windows: torch.Tensor  # [mentions] how many windows held each mention whole
    headline_event_log_probs: torch.Tensor | None = None  # [event labels] the headline read alone, if any
    lexical_log_probs: torch.Tensor | None = None  # [event labels] the lexical model's reading, if the dir has one


class Predictor:
    """A trained eventcoder model ready to code articles."""

    backend = "torch"
    # every decoding setting (`eventcoder.settings.DecodeSettings`) also reads and sets by its name
    # here (`predictor.lead_weight = 3.0`), validated and converted to its type

    def __init__(self, model: Any, tokenizer: Any, numbers: NumbersConfig | None = None,
                 count_vague: bool = False, device: str | torch.device | None = None) -> None:
        # device: "cpu" (default: the committed reports' figures), "cuda", "cuda:1", a torch.device,
        # or "auto" (cuda when available); a torch model and its inputs go there, ONNX models stay on CPU
        self.device = resolve_device(device)
        if isinstance(model, torch.nn.Module):
            model = model.to(self.device)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.config = model.config
        self.settings = DecodeSettings()
        self.event_labels: list[str] = list(self.config.event_labels)
        self.mention_labels: list[str] = list(self.config.mention_labels)
        tax = self.config.taxonomy or {}
        self.outcomes: list[str] = tax.get("outcomes", ["killed", "injured"])
        self.unknown_group: str = tax.get("unknown_group", "unknown")
        self.numbers = numbers or NumbersConfig.load()
        self.count_vague = count_vague
        self.lexical: Any = None  # eventcoder.lexical.LexicalModel, when the model dir has one
        self.toll_step: Any = None  # eventcoder.toll.TollStep, when the model dir has one

    def __getattr__(self, name: str) -> Any:  # only for names the instance and class lack
        settings = self.__dict__.get("settings")
        if settings is not None and name in SETTING_NAMES:
            return settings.get(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in SETTING_NAMES:
            self.settings.set(name, value)
        else:
            object.__setattr__(self, name, value)

    @classmethod
    def from_pretrained(cls, path: str | Path, backend: str = "auto", **kwargs: Any) -> Predictor:
        """Load a model dir. backend: "torch" (fp32), "torch-int8" (encoder in dynamic int8, heads
        fp32), "onnx" (model.onnx), "onnx-int8" (model.int8.onnx) or "auto": the backend that
        `eventcoder export` measured fastest among those agreeing with fp32 torch (`backend.json`),
        else torch. kwargs go to the constructor: `device="cuda"` puts a torch model on the GPU."""
        from transformers import AutoTokenizer

        from eventcoder.lexical import LexicalModel
        from eventcoder.runtimes import load_network
        from eventcoder.toll import TollStep

        p = check_model_dir(path)
        backend = default_backend(p) if backend == "auto" else backend
        if backend == "torch-int8" and resolve_device(kwargs.get("device")).type != "cpu":
            raise ValueError("backend torch-int8 (dynamic int8 quantization) runs on the CPU only")
        model = load_network(p, backend)
        check_label_maps(p, model.config.event_labels, model.config.mention_labels)
        tokenizer = AutoTokenizer.from_pretrained(str(p))
        predictor = cls(model, tokenizer, **kwargs)
        predictor.backend = backend
        predictor.lexical = LexicalModel.load(p)
        predictor.toll_step = TollStep.load(p)
        predictor.settings = DecodeSettings.load(p)
        return predictor

    def __call__(self, texts: str | Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any]]:
        """Code articles: one prediction dict per text, as evaluation scores it; the output record
        (with id, row, `when` and `where`) is built by `batch.code_rows`."""
        texts = [texts] if isinstance(texts, str) else texts
        return [self.decode(text, sc) for text, sc in zip(texts, self.score(texts, batch_size), strict=True)]

    @torch.inference_mode()
    def score(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE, headlines: bool | None = None,
              lexical: bool | None = None) -> list[ArticleScores]:
        """Run the model once over every window; the raw scores `decode` turns into predictions
        (calibration tries its settings on these without running the model again). Headlines are
        read alone when `headlines` is true, and the lexical model reads the texts when `lexical`
        is true and the model dir has one (default for each: when its weight uses it)."""
        from eventcoder.features import WindowCollator, article_windows, headline_only_windows

        for i, t in enumerate(texts):
            if not isinstance(t, str) or not t.strip():
                raise ValueError(f"text {i} is empty or not a string")
        mentions = [[m for m in find_mentions(t, self.numbers) if m.is_count] for t in texts]
        windows = article_windows(self.tokenizer, texts, [[(m.start, m.end) for m in ms] for ms in mentions],
                                  int(self.config.window_length), int(self.config.window_stride),
                                  bool(getattr(self.config, "headline_context", False)))
        read_heads = self.headline_weight > 0 if headlines is None else headlines
        n_article_windows = len(windows)  # headline windows follow the articles' own
        if read_heads:
            windows += headline_only_windows(self.tokenizer, texts, int(self.config.window_length))
        collate = WindowCollator(self.tokenizer.pad_token_id)
        order = sorted(range(len(windows)), key=lambda k: len(windows[k]["input_ids"]))
        window_ev: list[torch.Tensor | None] = [None] * len(windows)
        first = [0]  # each article's mentions are rows first[a]:first[a + 1] of one table
        for ms in mentions:
            first.append(first[-1] + len(ms))
        men_sum = torch.zeros(first[-1], len(self.mention_labels))
        men_n = torch.zeros(first[-1])
        for b in range(0, len(order), batch_size):
            chunk = [windows[k] for k in order[b:b + batch_size]]
            feats = [{"input_ids": w["input_ids"], "mention_token_start": [s for _, s, _ in w["mentions"]],
                      "mention_token_end": [e for _, _, e in w["mentions"]]} for w in chunk]
            out = self.model(**{k: v.to(self.device) for k, v in collate(feats).items()})
            ev = torch.log_softmax(out.event_logits.float(), -1).cpu()
            rows, slots, into = [], [], []  # (window in batch, its mention slot) → row of the table
            for j, w in enumerate(chunk):
                window_ev[order[b + j]] = ev[j]
                for slot, (mi, _, _) in enumerate(w["mentions"]):
                    rows.append(j)
                    slots.append(slot)
                    into.append(first[w["article"]] + mi)
            if into:  # every read of a mention adds its probabilities; the mean is taken below
                mp = torch.softmax(out.mention_logits.float(), -1).cpu()
                at = torch.tensor(into)
                men_sum.index_add_(0, at, mp[torch.tensor(rows), torch.tensor(slots)])
                men_n.index_add_(0, at, torch.ones(len(into)))
        per_article: list[list[torch.Tensor]] = [[] for _ in texts]
        for k, w in enumerate(windows[:n_article_windows]):  # windows come in reading order within each article
            per_article[w["article"]].append(window_ev[k])
        headline_ev: list[torch.Tensor | None] = [None] * len(texts)
        for k in range(n_article_windows, len(windows)):
            headline_ev[windows[k]["article"]] = window_ev[k]
        empty = torch.zeros(1, len(self.event_labels))
        read_lexical = self.lexical is not None and (self.lexical_weight > 0 if lexical is None else lexical)
        lexical_lp = torch.from_numpy(self.lexical.log_probs(texts, self.event_labels)).float() if read_lexical \
            else [None] * len(texts)
        men_mean = men_sum / men_n.clamp(min=1)[:, None]
        return [ArticleScores(torch.stack(per_article[a]) if per_article[a] else empty, mentions[a],
                              men_mean[first[a]:first[a + 1]].clone(), men_n[first[a]:first[a + 1]].clone(), headline_ev[a],
                              lexical_lp[a])
                for a in range(len(texts))]

    def event_probs(self, window_log_probs: torch.Tensor, headline_log_probs: torch.Tensor | None = None,
                    lexical_log_probs: torch.Tensor | None = None) -> torch.Tensor:
        """Article event probabilities: a weighted mean of the windows' log-probabilities in which
        the first window (headline and lead, where the main event is reported) weighs `lead_weight`,
        every later window 1 and the headline read alone `headline_weight`; plus `lexical_weight` ×
        the lexical model's log-probabilities (`eventcoder.lexical`); then the temperature applied."""
        weights = torch.ones(window_log_probs.shape[0])
        weights[0] = self.lead_weight
        merged = (window_log_probs * weights[:, None]).sum(0)
        total = weights.sum()
        if headline_log_probs is not None and self.headline_weight > 0:
            merged = merged + self.headline_weight * headline_log_probs
            total = total + self.headline_weight
        logits = merged / total
        if lexical_log_probs is not None and self.lexical_weight:
            logits = logits + self.lexical_weight * lexical_log_probs
        return torch.softmax(logits / self.temperature, -1)

    def article_event_probs(self, scores: ArticleScores) -> torch.Tensor:
        """`event_probs` of one article's raw scores."""
        return self.event_probs(scores.window_event_log_probs, scores.headline_event_log_probs,
                                scores.lexical_log_probs)

    def decode(self, text: str, scores: ArticleScores) -> dict[str, Any]:
        """One article's prediction from its raw scores and the current calibration."""
        probs = self.article_event_probs(scores)
        return self._article(text, probs, scores.mentions, scores.mention_probs, scores.mention_windows)

    @property
    def toll_step_in_use(self) -> Any:
        """The model dir's learned toll step while the `learned_toll` setting is on, else None."""
        return self.toll_step if self.toll_step is not None and self.learned_toll else None

    def _toll_figures(self, step: Any, text: str, mentions: list, mprobs: torch.Tensor, seen: torch.Tensor,
                      labels: list[int], span_of: Any) -> list:
        """The figures the toll step counts, as (mention, label index, sureness): each counted
        candidate's mentions that the mention head reads as its outcome (every place the figure is
        told is its evidence), or its surest mention when the head reads none so."""
        from eventcoder.toll import candidates

        out = []
        cands = candidates(text, mentions, mprobs.numpy(), seen.numpy(), self.mention_labels, self.outcomes, span_of)
        for c, sure in step.decide(cands):
            told = [k for k in c.mentions if self.mention_labels[labels[k]].startswith(f"{c.outcome}:")]
            label = self.mention_labels.index(f"{c.outcome}:{c.group}")
            out += [(mentions[k], label, sure) for k in told or [c.evidence]]
        return out

    def _article(self, text: str, probs: torch.Tensor, mentions: list, mprobs: torch.Tensor,
                 seen: torch.Tensor) -> dict[str, Any]:
        """The likeliest event type, and the casualty figures: those the learned toll step picks
        (`eventcoder.toll`) when the model dir has one and `learned_toll` is on, else each count
        mention whose likeliest label is a casualty label (one the windows read it whole in); vague
        words as the mention head reads them; totals by `casualties.aggregate`.
        An article coded none reports no casualty figures (accidents and figurative "killed" are
        not events)."""
        best = int(probs.argmax())
        outside = self.mention_labels.index(OUTSIDE)
        top = mprobs.max(-1)
        labels, sureness = top.indices.tolist(), top.values.tolist()
        silent = self.event_labels[best] == (self.config.taxonomy or {}).get("none_label", "none")
        read = [(m, labels[k], sureness[k]) for k, m in enumerate([] if silent else mentions)
                if seen[k] > 0 and labels[k] != outside]
        step = None if silent else self.toll_step_in_use
        span_of = sentence_spans(text) if read or (step is not None and mentions) else None  # found once per article
        if step is not None:
            read = [r for r in read if r[0].vague is not None] + self._toll_figures(
                step, text, mentions, mprobs, seen, labels, span_of)
        labelled = []
        for m, lab, sure in read:
            outcome, group = self.mention_labels[lab].split(":", 1)
            left, right = span_of(m.start, m.end)
            labelled.append(_figure(outcome, group, m.start, m.end, m.text, text[left:right].strip(), sure,
                                    count=m.value if m.vague is None else None, vague=m.vague,
                                    vague_value=m.value if m.vague else None))
        agg = aggregate(labelled, outcomes=self.outcomes, unknown_group=self.unknown_group,
                        count_vague=self.count_vague)
        internal = ("vague_value",)
        evidence = [{k: v for k, v in e.items() if k not in internal} for e in labelled if e["count"] is not None]
        vague = [{k: v for k, v in e.items() if k not in internal} for e in labelled if e["count"] is None]
        return {"event_type": self.event_labels[best], "score": round(float(probs[best]), 4),
                "scores": {lab: round(float(p), 4) for lab, p in zip(self.event_labels, probs, strict=True)},
                **{o: agg["totals"][o] for o in self.outcomes},
                "casualties": agg["by_group"], "vague": vague, "evidence": evidence}


def _figure(outcome: str, group: str, start: int, end: int, text: str, sentence: str, score: float,
            count: int | None = None, vague: str | None = None, vague_value: int | None = None) -> dict[str, Any]:
    """One labelled figure as `decode` builds them: the evidence fields, plus `vague_value`, which
    decoding uses and the output leaves out."""
    return {"outcome": outcome, "group": group, "count": count, "vague": vague,
            "vague_value": vague_value, "start": start, "end": end, "text": text, "sentence": sentence,
            "score": round(score, 4)}


@lru_cache(maxsize=4)
def _cached(path: str) -> Predictor:
    return Predictor.from_pretrained(path)


def predict(articles: str | dict[str, Any] | Sequence[str | dict[str, Any]], model: str | Path | Predictor,
            batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any]]:
    """Code articles with a model directory (loaded once and cached) or a Predictor.

    Each article is a text or `{"id", "title", "text", "date"}` (all but text optional; the headline
    is put first, as in training; the date resolves "yesterday"). Returns one record per article,
    built as the CLI's and the server's are (`batch.code_rows`, `schema.Prediction`): its id
    (`row-N` when none is given), its 1-based row, then the prediction."""
    from eventcoder.batch import code_rows
    from eventcoder.data.labels import headline_text
    from eventcoder.schema import default_id

    predictor = model if isinstance(model, Predictor) else _cached(str(Path(model).resolve()))
    items = [articles] if isinstance(articles, (str, dict)) else list(articles)
    rows = []
    for row, it in enumerate(items, 1):
        it = {"text": it} if isinstance(it, str) else it
        if not isinstance(it, dict) or not isinstance(it.get("text"), str):
            raise ValueError(f"article {row}: a text or an object with a 'text' string")
        rows.append((row, {"id": default_id(row) if it.get("id") is None else str(it["id"]),
                           "text": headline_text(it["text"], it.get("title")), "date": it.get("date")}))
    return code_rows(predictor, rows, batch_size)
