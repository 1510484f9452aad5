"""One colour-blind-safe palette for every chart, so a group keeps its colour across pages.

The first eight colours are Okabe and Ito's set ("Color Universal Design", 2008), which stays
distinguishable under the common forms of colour blindness; yellow and black come last, since
yellow is faint on white and black reads as "highlighted". Lists with more groups continue with
Paul Tol's "muted" set, also designed to be colour-blind safe; past both (17 groups) colours repeat,
and the legend and hover still name each group.

A group's colour is a function of its position in a stable ordering of the group names: callers
that show the same list on several charts build the mapping once with ``group_colours`` over the
whole list and pass it to every chart.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Okabe-Ito, reordered (blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Paul Tol's muted qualitative set, for the 9th group on.
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
PALETTE = OKABE_ITO + TOL_MUTED
#: Points, bars and text that belong to no group or play a supporting part.
NEUTRAL = "#999999"
#: What ``scatter`` calls items without a group.
NO_GROUP = "(no group)"
#: A continuous scale for values from 0 to 1 (how much of a point's neighbourhood a map kept), from
#: Okabe-Ito colours: vermillion (0, what the map got wrong stands out), orange, then blue (1).
VALUE_SCALE = ((0.0, "#D55E00"), (0.5, "#E69F00"), (1.0, "#0072B2"))
#: Lines to neighbours a map moved away from a word (Okabe-Ito vermillion).
SEPARATED = "#D55E00"


def colour(index: int) -> str:
    """The palette's ``index``-th colour (repeating after ``len(PALETTE)``)."""
    return PALETTE[index % len(PALETTE)]


def group_colours(groups: Iterable[str]) -> dict[str, str]:
    """One colour per distinct group, in order of first appearance (empty names become ``NO_GROUP``)."""
    distinct = dict.fromkeys(group or NO_GROUP for group in groups)
    return {group: colour(index) for index, group in enumerate(distinct)}
