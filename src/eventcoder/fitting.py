"""Fitting the decoding settings on labelled articles' stored scores (`Predictor.score`): the model
runs once and each setting is tried on its scores. `evaluate calibrate=true` fits on a validation
split, `eventcoder.crosstune` by folds of a labelled set; both store the result with the model
(`store_fit`, `decoding.json`). `apply_decode_settings` sets some by hand for one run instead."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eventcoder.settings import default as default_setting
from eventcoder.settings import names as setting_names


def store_fit(predictor: Any, model_dir: Path, info: dict[str, Any]) -> Path:
    """Write the predictor's whole settings, as fitted, into the model dir (`decoding.json`), with
    what they were fitted on and what the fit measured."""
    settings = predictor.settings.flat()
    predictor.settings.fitted_on = info.get("fitted_on")
    predictor.settings.fit = {k: v for k, v in info.items() if k not in settings}
    return predictor.settings.save(model_dir)


def apply_decode_settings(predictor: Any, settings: Any) -> dict[str, Any]:
    """Set decoding settings by hand for this run only (after any calibration; not stored): a way to
    measure a setting calibration did not choose. Unknown names fail naming the allowed ones."""
    from omegaconf import OmegaConf

    plain = OmegaConf.to_container(settings, resolve=True) if OmegaConf.is_config(settings) else dict(settings)
    allowed = (*setting_names(), "count_vague")
    for name, value in plain.items():
        if name not in allowed:
            raise ValueError(f"decode_settings.{name}: not a decoding setting (one of {', '.join(allowed)})")
        setattr(predictor, name, value)
    return plain


# what fitting chooses (and resets to the defaults first): the event settings; the toll is learned
# (`eventcoder.toll`), and its switch stays as set
FITTED = setting_names("event")
FIXABLE = ("lead_weight", "headline_weight", "lexical_weight")
EVENT_OBJECTIVES = ("log_likelihood", "macro_f1")


def fit_decode_settings(predictor: Any, rows: list[dict], raw: list, fixed: dict[str, float] | None = None,
                        objective: str = "log_likelihood") -> dict[str, Any]:
    """Fit every decoding setting, in order, on labelled articles' stored scores (`Predictor.score`);
    leaves them set on the predictor and returns them with the grids they were chosen from. `fixed`
    holds event settings (lead_weight and headline_weight together, lexical_weight) at given values
    instead: a grid searched on a few dozen articles can fit their noise. `objective` is what the
    event settings maximise: the gold types' mean log-probability (smooth: every article moves it) or
    macro-F1 (a step function of a few argmax flips, which on 37 articles picks settings that do not
    carry over)."""
    from eventcoder import metrics as M

    if objective not in EVENT_OBJECTIVES:
        raise ValueError(f"event objective {objective!r}: one of {', '.join(EVENT_OBJECTIVES)}")
    fixed = dict(fixed or {})
    if set(fixed) - set(FIXABLE) or (("lead_weight" in fixed) != ("headline_weight" in fixed)):
        raise ValueError(f"fixed settings {sorted(fixed)}: give lead_weight with headline_weight, and/or "
                         f"lexical_weight (fixable: {', '.join(FIXABLE)})")
    info: dict[str, Any] = {"fixed": fixed} if fixed else {}
    info["event_objective"] = objective
    labels = predictor.event_labels
    gold = [labels.index(r["event_type"]) for r in rows]
    for name in FITTED:  # start from the defaults, not an earlier fit
        setattr(predictor, name, default_setting(name))
    if "lead_weight" in fixed:
        predictor.lead_weight, predictor.headline_weight = info["lead_weight"], info["headline_weight"] = \
            float(fixed["lead_weight"]), float(fixed["headline_weight"])
    else:
        (info["lead_weight"], info["headline_weight"]), info[f"validation_{objective}_by_lead_and_headline_weight"] = \
            fit_lead_weight(predictor, raw, gold, objective=objective)
    if "lexical_weight" in fixed:
        predictor.lexical_weight = info["lexical_weight"] = float(fixed["lexical_weight"])
    else:
        info["lexical_weight"], info[f"validation_{objective}_by_lexical_weight"] = fit_lexical_weight(
            predictor, raw, gold, objective=objective)
    scores = [predictor.article_event_probs(sc).tolist() for sc in raw]
    info["temperature"] = M.fit_temperature(scores, gold)
    info["validation_ece_before"] = M.expected_calibration_error(
        [max(sc) for sc in scores], [max(range(len(sc)), key=sc.__getitem__) == g
                                     for sc, g in zip(scores, gold, strict=True)])["ece"]
    predictor.temperature = info["temperature"]
    return info


def _grid_search(predictor: Any, attrs: str | tuple[str, ...], grid: tuple[Any, ...],
                 score: Any) -> tuple[Any, dict[str, Any]]:
    """Set `predictor.<attr>` (or each of `attrs` from a tuple value) to each grid value, score it and
    keep the best; ties go to the first in grid order, so grids list the smallest change first. A
    score is a number or a tuple compared in order (later entries break ties of earlier ones)."""
    names = (attrs,) if isinstance(attrs, str) else attrs
    scores = {}
    for value in grid:
        for name, v in zip(names, value if len(names) > 1 else (value,), strict=True):
            setattr(predictor, name, v)
        scores[_grid_key(value)] = score()
    best = max(grid, key=lambda v: scores[_grid_key(v)])  # max keeps the first of equals
    for name, v in zip(names, best if len(names) > 1 else (best,), strict=True):
        setattr(predictor, name, v)
    return best, scores


def _grid_key(value: Any) -> str:
    return "/".join(map(str, value)) if isinstance(value, tuple) else str(value)


LEAD_GRID = tuple((lead, head) for head in (0.0, 1.0, 2.0, 5.0) for lead in (1.0, 2.0, 3.0, 5.0, 10.0, 100.0))


def fit_lead_weight(predictor: Any, raw: list, gold: list[int], grid: tuple[tuple[float, float], ...] = LEAD_GRID,
                    objective: str = "log_likelihood") -> tuple[tuple[float, float], dict[str, float]]:
    """The first-window and headline weights (lead_weight, headline_weight) that maximise the event
    objective on the validation articles with more than one window or a headline (an article of one
    window without a headline is the same under every weight); (1.0, 0.0) when there are none."""
    multi = [(sc, g) for sc, g in zip(raw, gold, strict=True)
             if sc.window_event_log_probs.shape[0] > 1 or sc.headline_event_log_probs is not None]
    if not multi:
        predictor.lead_weight, predictor.headline_weight = 1.0, 0.0
        return (1.0, 0.0), {}
    score = EVENT_SCORERS[objective]
    return _grid_search(predictor, ("lead_weight", "headline_weight"), grid, lambda: score(
        predictor, [sc for sc, _ in multi], [g for _, g in multi]))


def _event_macro_f1(predictor: Any, raw: list, gold: list[int]) -> float:
    """Event macro-F1 of the articles' stored scores under the predictor's current settings."""
    from sklearn.metrics import f1_score

    return f1_score(gold, [int(predictor.article_event_probs(sc)
                               .argmax()) for sc in raw], average="macro")


def _event_log_likelihood(predictor: Any, raw: list, gold: list[int]) -> float:
    """Mean log-probability of the gold event types under the predictor's current settings."""
    import torch

    return float(sum(torch.log(predictor.article_event_probs(sc)[g]
                               .clamp(min=1e-12)) for sc, g in zip(raw, gold, strict=True)) / max(1, len(raw)))


EVENT_SCORERS = {"log_likelihood": _event_log_likelihood, "macro_f1": _event_macro_f1}


LEXICAL_GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)


def fit_lexical_weight(predictor: Any, raw: list, gold: list[int], grid: tuple[float, ...] = LEXICAL_GRID,
                       objective: str = "log_likelihood") -> tuple[float, dict[str, float]]:
    """The weight of the lexical model's reading (`eventcoder.lexical`) that maximises the event
    objective on all validation articles; 0 when their scores carry none (a model without one)."""
    if not raw or any(sc.lexical_log_probs is None for sc in raw):
        predictor.lexical_weight = 0.0
        return 0.0, {}
    score = EVENT_SCORERS[objective]
    return _grid_search(predictor, "lexical_weight", grid, lambda: score(predictor, raw, gold))


