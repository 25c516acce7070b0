"""Prediction: `Predictor.from_pretrained(dir)`, `Predictor.__call__(texts)`, `predict(texts, model=dir)`.

Every window of every article is read (length-sorted batches, dynamic padding); window logits are
merged per article (event: weighted mean of log-probabilities, the lead window weighing
`lead_weight` and the headline, read on its own as one more short window, `headline_weight`;
mention: mean over the windows that hold it; with a lexical model in the model dir, its reading of
the whole text weighs `lexical_weight`, see `eventcoder.lexical`), and article figures come from
`casualties.aggregate`, so each figure points to its evidence. An article coded `none` reports no
casualty figures (accidents and figurative "killed" are not events).
A figure past the first `lead_chars` characters needs probability `body_threshold`: news puts the
event's toll in the headline and lead, and the body's figures are often earlier events' tolls. With
`body_needs_lead_toll` that doubt applies only to an outcome the lead already gives a figure for: a
story whose lead tells no toll (a clash reported first, its dead in the ninth paragraph) keeps its
body figures at the plain threshold.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import torch

from eventcoder.batch import DEFAULT_BATCH_SIZE
from eventcoder.casualties import (
    aggregate,
    agree_listed_outcomes,
    bomber_who_died,
    counts_suicide_bombers,
    gapped_clause,
    join_listed,
    lone_victim,
    noun_phrase_group,
    outcome_told,
    says_someone_died_or_was_hurt,
    sentence_span,
    sentence_spans,
    share_of,
    shared_across,
    told_as_attacker,
    told_as_death_toll,
    told_as_doer,
    told_killed,
    told_left_dead,
    told_of_another_time,
    told_with_another_fate,
    total_with_breakdown,
    without_background,
)
from eventcoder.event_cues import RULES as EVENT_CUE_RULES
from eventcoder.numbers import NumbersConfig, find_mentions
from eventcoder.settings import DecodeSettings
from eventcoder.settings import names as setting_names
from eventcoder.taxonomy import OUTSIDE, Taxonomy

SETTING_NAMES = frozenset(setting_names())
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "label_maps.json")
ENSEMBLE_FILE = "ensemble.json"  # an ensemble directory names its members (`eventcoder.ensemble`), no weights


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
        if not (p / name).is_file() and not (ensemble and name == "model.safetensors"):
            raise FileNotFoundError(f"model directory {p} is missing {name}")
    for name in ("config.json", "label_maps.json"):
        try:
            json.loads((p / name).read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{p / name} is corrupt: {e}") from None
    return p


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
                 count_vague: bool = False) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.config = model.config
        self.settings = DecodeSettings()
        self.event_labels: list[str] = list(self.config.event_labels)
        self.mention_labels: list[str] = list(self.config.mention_labels)
        tax = self.config.taxonomy or {}
        self.outcomes: list[str] = tax.get("outcomes", ["killed", "injured"])
        self.unknown_group: str = tax.get("unknown_group", "unknown")
        # the group a suicide bomber's own death goes to (`count_bombers`); a taxonomy without it: never
        self.militants_group: str | None = "militants" if "killed:militants" in self.mention_labels else None
        self.numbers = numbers or NumbersConfig.load()
        self.count_vague = count_vague
        self.lexical: Any = None  # eventcoder.lexical.LexicalModel, when the model dir has one

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
        else torch."""
        from transformers import AutoTokenizer

        from eventcoder.export import BACKEND_FILE, BACKENDS, ONNX_FILES
        from eventcoder.lexical import LexicalModel
        from eventcoder.model import EventCoderConfig, EventCoderModel

        p = check_model_dir(path)
        if backend == "auto":
            chosen = p / BACKEND_FILE
            backend = json.loads(chosen.read_text()).get("default", "torch") if chosen.is_file() else "torch"
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r} (auto, {', '.join(BACKENDS)})")
        if is_ensemble(p):
            from eventcoder.ensemble import load_ensemble

            if backend != "torch":
                raise ValueError(f"{p} is an ensemble: only the torch backend reads it, not {backend!r}")
            model = load_ensemble(p)
        elif backend in ONNX_FILES:
            from eventcoder.export import OnnxModel

            onnx_file = p / ONNX_FILES[backend]
            if not onnx_file.is_file():
                raise FileNotFoundError(f"model directory {p} is missing {onnx_file.name} "
                                        f"(write it with: eventcoder export --model {p})")
            model = OnnxModel(onnx_file, EventCoderConfig.from_pretrained(str(p)))
        else:
            try:
                model = EventCoderModel.from_pretrained(str(p))
            except (OSError, ValueError, RuntimeError) as e:
                raise ValueError(f"{p / 'model.safetensors'} could not be loaded: {e}") from None
            if backend == "torch-int8":
                from eventcoder.export import quantize_encoder

                model = quantize_encoder(model.eval())
        maps = json.loads((p / "label_maps.json").read_text())
        if maps["event_labels"] != list(model.config.event_labels) or \
                maps["mention_labels"] != list(model.config.mention_labels):
            raise ValueError(f"{p / 'label_maps.json'} does not match {p / 'config.json'}")
        tokenizer = AutoTokenizer.from_pretrained(str(p))
        predictor = cls(model, tokenizer, **kwargs)
        predictor.backend = backend
        predictor.lexical = LexicalModel.load(p)
        predictor.settings = DecodeSettings.load(p)
        return predictor

    def __call__(self, texts: str | Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any]]:
        """Code articles: one prediction dict per text (the contract in DESIGN.md)."""
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
            out = self.model(**collate(feats))
            ev = torch.log_softmax(out.event_logits.float(), -1)
            rows, slots, into = [], [], []  # (window in batch, its mention slot) → row of the table
            for j, w in enumerate(chunk):
                window_ev[order[b + j]] = ev[j]
                for slot, (mi, _, _) in enumerate(w["mentions"]):
                    rows.append(j)
                    slots.append(slot)
                    into.append(first[w["article"]] + mi)
            if into:  # every read of a mention adds its probabilities; the mean is taken below
                mp = torch.softmax(out.mention_logits.float(), -1)
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
        the lexical model's log-probabilities (`eventcoder.lexical`); then the training mix's
        class prior is divided out to the power `prior_correction` (the export-heavy mix makes battles
        and bombings likelier than in the articles users send) and the temperature applied."""
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
        if self.prior_correction and self.event_prior:
            prior = torch.tensor(self.event_prior, dtype=logits.dtype)
            prior = torch.where(prior > 0, prior, prior.max())  # a type the mix lacked gets no boost
            logits = logits - self.prior_correction * prior.log()
        return torch.softmax(logits / self.temperature, -1)

    def article_event_probs(self, scores: ArticleScores) -> torch.Tensor:
        """`event_probs` of one article's raw scores."""
        return self.event_probs(scores.window_event_log_probs, scores.headline_event_log_probs,
                                scores.lexical_log_probs)

    def decode(self, text: str, scores: ArticleScores) -> dict[str, Any]:
        """One article's prediction from its raw scores and the current calibration."""
        probs = self.article_event_probs(scores)
        return self._article(text, probs, scores.mentions, scores.mention_probs, scores.mention_windows)

    def _article(self, text: str, probs: torch.Tensor, mentions: list, mprobs: torch.Tensor,
                 seen: torch.Tensor) -> dict[str, Any]:
        best, cue = self._event_type(text, probs)
        outside = self.mention_labels.index(OUTSIDE)
        if self.casualty_mass:  # is it a casualty figure at all, then which one
            casualty = mprobs.clone()
            casualty[:, outside] = -1.0
            labels, sureness = casualty.argmax(-1).tolist(), (1.0 - mprobs[:, outside]).tolist()
        else:
            top = mprobs.max(-1)
            labels, sureness = top.indices.tolist(), top.values.tolist()
        # no political-violence event (or a non-violent one): no casualty figures to report, none to read
        silent = self.event_labels[best] == (self.config.taxonomy or {}).get("none_label", "none") \
            or self.event_labels[best] in self.no_casualty_types
        read = []  # (mention, label, probability, read by its clause's words) of each casualty figure
        for k, m in enumerate([] if silent else mentions):
            lab, sure = labels[k], sureness[k]
            if self.doers_are_no_victims and told_as_doer(text, m.start):
                continue
            if self.other_fates_are_no_casualties and told_with_another_fate(text, m.start, m.end, m.noun):
                continue
            if self.attackers_are_no_victims and told_as_attacker(text, m.start, m.end, m.noun):
                continue
            # a lead count the model reads as no figure, which its words alone may read as killed
            unread_lead_count = seen[k] > 0 and m.vague is None and m.start < (self.lead_chars or len(text))
            if seen[k] > 0 and lab != outside and sure >= self.mention_threshold:
                read.append((m, lab, sure, False))
            elif unread_lead_count and self._told_killed(text, m):
                read.append((m, self._killed_label(m, mprobs[k]), 1.0 - float(mprobs[k, outside]), True))
            elif unread_lead_count and self.read_death_tolls and told_as_death_toll(text, m.start):
                read.append((m, self._killed_label(m, mprobs[k], self.unknown_group), 1.0 - float(mprobs[k, outside]), True))
        lead_outcomes = {self.mention_labels[lab].split(":", 1)[0] for m, lab, _, _ in read if m.start < self.lead_chars}
        labelled, span_of = [], sentence_spans(text) if read else None
        for m, lab, sure, by_words in read:
            outcome, group = self.mention_labels[lab].split(":", 1)
            told = outcome_told(text, m.start, m.end, m.noun) if self.outcome_by_verb and not by_words else None
            by_verb = told not in (None, outcome) and f"{told}:{group}" in self.mention_labels
            outcome = told if by_verb else outcome
            named = self._named_group(text, m, outcome, mentions)
            if named is None and self.people_take_no_side and m.noun and m.noun.lower() in ("people", "persons") \
                    and group not in (self.unknown_group, "civilians"):
                named = self.unknown_group  # "seven people were hurt": no side's figure
            by_noun = named is not None and named != group
            group = named or group
            doubted = m.start >= self.lead_chars and (not self.body_needs_lead_toll or outcome in lead_outcomes)
            if doubted and sure < self.body_threshold:
                continue
            left, right = span_of(m.start, m.end)
            sentence = text[left:right].strip()
            if self.needs_casualty_word and not says_someone_died_or_was_hurt(sentence):
                continue
            dated = told_of_another_time(text[left:right], m.start - left, m.end - left) if self.drop_background else None
            labelled.append(_figure(outcome, group, m.start, m.end, m.text, sentence, sure,
                                    count=m.value if m.vague is None else None, vague=m.vague,
                                    vague_value=m.value if m.vague else None, another_time=dated,
                                    read_by_words=by_words, group_by_noun=by_noun, outcome_by_verb=by_verb))
        if self.drop_background:
            labelled = without_background(labelled)
        if self.read_lists:
            labelled = join_listed(text, agree_listed_outcomes(text, labelled))
        if self.count_bombers and self.militants_group and not silent:
            labelled = self._with_bomber(text, mentions, mprobs, labelled)
        if self.count_lone_victims and not silent:
            labelled = self._with_lone_victim(text, labelled)
        agg = aggregate(labelled, outcomes=self.outcomes, unknown_group=self.unknown_group,
                        count_vague=self.count_vague, on_top_cue=self.read_on_top)
        shared = self._shared_across(text, labelled) if self.share_across_incidents else {}
        for outcome, across in shared.items():
            agg["totals"][outcome] = share_of(agg["totals"][outcome], across["incidents"])
            agg["by_group"][outcome] = {g: share_of(v, across["incidents"]) if isinstance(v, int) else v
                                        for g, v in agg["by_group"][outcome].items()}
        internal = ("vague_value", "another_time")
        evidence = [{k: v for k, v in e.items() if k not in internal} for e in labelled if e["count"] is not None]
        vague = [{k: v for k, v in e.items() if k not in internal} for e in labelled if e["count"] is None]
        return {"event_type": self.event_labels[best], "score": round(float(probs[best]), 4),
                "scores": {lab: round(float(p), 4) for lab, p in zip(self.event_labels, probs, strict=True)},
                "event_cue": cue, **{o: agg["totals"][o] for o in self.outcomes},
                "casualties": agg["by_group"], "shared_across": shared, "vague": vague, "evidence": evidence}

    def _shared_across(self, text: str, labelled: list[dict]) -> dict[str, dict[str, Any]]:
        """Per outcome, the cue that tells its toll as summed across several incidents: where every
        figure of the outcome is so told, with one number of incidents (`casualties.shared_across`)."""
        shared = {}
        for outcome in self.outcomes:
            cues = [shared_across(text, f["start"], f["end"]) for f in labelled
                    if f["outcome"] == outcome and f["count"] is not None]
            if cues and all(cues) and len({c[0] for c in cues}) == 1:
                n, start, end = cues[0]
                shared[outcome] = {"incidents": n, "text": text[start:end], "start": start, "end": end}
        return shared

    def _told_killed(self, text: str, mention: Any) -> bool:
        """Whether a count the model reads as no figure is read as killed by its clause:
        `read_killing_clauses`, or, told killed at no other time, `read_militants_killed` for militants
        and `read_left_dead` for the dead an event left."""
        if self.read_left_dead and told_left_dead(text, mention.start, mention.end):
            return not self._dated(text, mention)
        if not (self.read_killing_clauses or self.read_militants_killed) \
                or not told_killed(text, mention.start, mention.end):
            return False
        if self.read_killing_clauses:
            return True
        if not (self.militants_group and self._taxonomy) or self._taxonomy.group_of_noun(mention.noun) != self.militants_group:
            return False
        return not self._dated(text, mention)

    @staticmethod
    def _dated(text: str, mention: Any) -> bool:
        """Whether the count's sentence dates it to another time than the event (`told_of_another_time`)."""
        left, right = sentence_span(text, mention.start, mention.end)
        return told_of_another_time(text[left:right], mention.start - left, mention.end - left) is not None

    def _named_group(self, text: str, mention: Any, outcome: str, mentions: list) -> str | None:
        """With `group_by_noun`, the group the count's noun phrase names (`casualties.noun_phrase_group`),
        or, for a count whose clause leaves its noun out, the previous count's ("Six guards were shot
        dead, several hurt": `casualties.gapped_clause`), where the model has that label for
        the outcome; the unknown group for a total told with its breakdown ("five people,
        among them a teacher and two guards": `casualties.total_with_breakdown`); else None."""
        if not (self.group_by_noun and self._taxonomy):
            return None
        if total_with_breakdown(text, mention.start, mention.end, mention.noun):
            return self.unknown_group  # "five people, among them a teacher and two guards"
        named = mention
        if mention.noun is None:  # mentions are in text order
            previous = next((m for m in reversed(mentions) if m.end <= mention.start), None)
            if previous is not None and gapped_clause(text, previous.end, mention.start, mention.end):
                named = previous
        group = noun_phrase_group(text, named.start, named.end, named.noun, self._taxonomy.group_of_noun)
        return group if f"{outcome}:{group}" in self.mention_labels else None

    def _killed_label(self, mention: Any, probs: torch.Tensor, otherwise: str | None = None) -> int:
        """The killed label of a count read by its words: the group its noun names, else
        `otherwise`, else the model's likeliest killed group."""
        group = self._taxonomy.group_of_noun(mention.noun) if self._taxonomy else None
        for g in (group, otherwise):
            if g and f"killed:{g}" in self.mention_labels:
                return self.mention_labels.index(f"killed:{g}")
        killed = [i for i, lab in enumerate(self.mention_labels) if lab.startswith("killed:")]
        return max(killed, key=lambda i: float(probs[i]))

    def _event_type(self, text: str, probs: torch.Tensor) -> tuple[int, dict[str, Any] | None]:
        """The article's event type and the codebook cue that chose it: the likeliest type and None,
        unless a cue of `event_cues.RULES` that is switched on settles it (the scores stay the model's)."""
        best = int(probs.argmax())
        for rule in EVENT_CUE_RULES:
            if getattr(self, rule.switch) and self.event_labels[best] in rule.sources and rule.target in self.event_labels:
                span = rule.find(text, self.lead_chars)
                if span:
                    return self.event_labels.index(rule.target), {"rule": rule.name, "text": text[span[0]:span[1]],
                                                                  "start": span[0], "end": span[1]}
        return best, None

    def _with_bomber(self, text: str, mentions: list, mprobs: torch.Tensor, labelled: list[dict]) -> list[dict]:
        """`labelled` with the suicide bomber who set off the charge (`casualties.bomber_who_died`) on
        top of the toll: the killed figures read on mentions of suicide bombers are marked `on_top`;
        where none was and no killed militant was read, the bomber is added as one (`implied`, scored
        with the model's probability of that label)."""
        bomber = bomber_who_died(text, mentions)
        if bomber is None:
            return labelled
        read = [f for f in labelled if f["outcome"] == "killed" and f["count"]
                and counts_suicide_bombers(text, f) is not None]
        if read:
            return [{**f, "on_top": True} if any(f is r for r in read) else f for f in labelled]
        if any(f["outcome"] == "killed" and f["group"] == self.militants_group for f in labelled):
            return labelled  # the attackers' deaths are told already ("20 assailants were killed")
        left, right = sentence_span(text, bomber.start, bomber.end)
        label = self.mention_labels.index(f"killed:{self.militants_group}")
        k = next(k for k, m in enumerate(mentions) if m is bomber)
        return [*labelled, _figure("killed", self.militants_group, bomber.start, bomber.end, bomber.text,
                                   text[left:right].strip(), float(mprobs[k, label]), count=bomber.value,
                                   on_top=True, implied=True)]

    def _with_lone_victim(self, text: str, labelled: list[dict]) -> list[dict]:
        """`labelled` with one killed person (`implied`, score 0: no mention was read) where it has no
        killed figure and the headline and first sentences say someone was killed without a number
        (`casualties.lone_victim`); the group is the one a noun of the phrase names in the taxonomy
        ("soldier Yaya Emmanuel": security forces), else unknown (a name alone)."""
        if any(f["outcome"] == "killed" and f["count"] is not None for f in labelled):
            return labelled
        span = lone_victim(text)
        if span is None:
            return labelled
        left, right = sentence_span(text, *span)
        phrase = text[span[0]:span[1]]
        groups = (self._taxonomy.group_of_noun(w) for w in reversed(re.findall(r"[A-Za-z]+", phrase))) \
            if self._taxonomy else ()
        group = next((g for g in groups if g), self.unknown_group)
        return [*labelled, _figure("killed", group, *span, phrase, text[left:right].strip(), 0.0, count=1,
                                   implied=True)]

    @cached_property
    def _taxonomy(self) -> Taxonomy | None:
        """The model's taxonomy (for `group_of_noun`), or None for a model saved without one."""
        tax = self.config.taxonomy
        return Taxonomy.model_validate(tax) if tax else None


def _figure(outcome: str, group: str, start: int, end: int, text: str, sentence: str, score: float,
            count: int | None = None, vague: str | None = None, vague_value: int | None = None,
            another_time: str | None = None, on_top: bool = False, implied: bool = False,
            read_by_words: bool = False, group_by_noun: bool = False, outcome_by_verb: bool = False) -> dict[str, Any]:
    """One labelled figure as `decode` builds them: the evidence fields, plus `vague_value` and
    `another_time`, which decoding uses and the output leaves out."""
    return {"another_time": another_time, "outcome": outcome, "group": group, "count": count, "vague": vague,
            "vague_value": vague_value, "start": start, "end": end, "text": text, "sentence": sentence,
            "part_of": None, "score": round(score, 4), "on_top": on_top, "implied": implied,
            "read_by_words": read_by_words, "group_by_noun": group_by_noun, "outcome_by_verb": outcome_by_verb}


@lru_cache(maxsize=4)
def _cached(path: str) -> Predictor:
    return Predictor.from_pretrained(path)


def predict(texts: str | Sequence[str], model: str | Path | Predictor, batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any]]:
    """Code articles with a model directory (loaded once and cached) or a Predictor."""
    predictor = model if isinstance(model, Predictor) else _cached(str(Path(model).resolve()))
    return predictor(texts, batch_size=batch_size)
