"""Word cues that settle an event type the encoder confuses, where the ACLED codebook is explicit.

ACLED codes a side regaining or overtaking ground by force as a battle ("government regains
territory", "non-state actor overtakes territory"); only a non-violent transfer of territory is a
strategic development. The model reads war-progress reports ("troops retook the village") as
strategic developments, because the words of control and its handover dominate them
(README, "Session 16"). The Predictor applies `territory_taken` to an article read as a strategic
development (`Predictor.territory_is_battle`).
"""
from __future__ import annotations

import re

# done, not aimed at: past and perfect, and the present of headlines ("Army retakes town"); "to take
# back control" or "a push to retake" is a plan, which a strategic development may well report
TERRITORY_TAKEN = re.compile(r"\b(retook|retaken|retakes|recaptur(ed|es)|regained|regains|liberat(ed|es)|"
                             r"(took|taken|takes|seized|seizes|wrested|wrests) (back )?control)\b", re.I)


def territory_taken(text: str) -> tuple[int, int] | None:
    """Where the text first tells a side retaking, liberating or seizing control of ground, or None."""
    m = TERRITORY_TAKEN.search(text)
    return m.span() if m else None
