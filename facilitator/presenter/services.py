"""The presenter's slides: an "all groups" deck, then one deck per group, read from the results.

The "all groups" deck has the results table (as the seed lists them) and one slide per chart. Each
group's deck opens with a one-page summary for its spokesperson, then one slide per stage with
the group's answers. Next and previous run across decks, so arrows alone walk the whole show.
"""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from ..report.services import charts_for
from ..summaries.results import group_results

#: The "all groups" deck; each chart gets a slide of its own, so its labels are big enough to read.
OVERVIEW_SLIDES = ("results", "category", "target-group")
#: Above this many characters on one slide, the type gets smaller.
DENSE_CHARACTERS = 600


class UnknownGroup(LookupError):
    """The URL names a group that is not (or no longer) among this workshop's groups."""


@dataclass
class Slide:
    """One slide and where it sits: `group` is None in the "all groups" deck; `number` counts from 1."""

    kind: str
    group_id: int | None
    number: int
    total: int
    title: str
    result: object = None
    stage: object = None
    stage_number: int = 0
    stage_count: int = 0
    #: On a chart slide: which chart ("category" or "target-group").
    chart: str | None = None

    @property
    def position(self):
        return f"{self.group_id or 'all'}:{self.number}"

    @property
    def dense(self):
        """Long answers get a smaller type so more of them fits on the screen."""
        if self.kind == "stage":
            length = sum(len(text or "") for _, text in self.stage.answers)
        elif self.kind == "summary":
            r = self.result
            length = len(r.service) + len(r.description) + len(r.target_group)
        else:
            return False
        return length > DENSE_CHARACTERS


@dataclass
class Deck:
    """Everything the presenter shows for one position, and where the neighbours are."""

    slide: Slide
    results: list
    previous: tuple | None
    following: tuple | None
    charts: list
    announcement: str


def _deck_sizes(results):
    sizes = [(None, len(OVERVIEW_SLIDES))]
    sizes += [(r.group.id, 1 + len(r.stages)) for r in results]
    return sizes


def _neighbours(sizes, group_id, number):
    """The (group id, slide number) before and after this one, crossing from deck to deck."""
    index = next(i for i, (gid, _) in enumerate(sizes) if gid == group_id)
    size = sizes[index][1]
    if number > 1:
        previous = (group_id, number - 1)
    elif index > 0:
        previous = (sizes[index - 1][0], sizes[index - 1][1])
    else:
        previous = None
    if number < size:
        following = (group_id, number + 1)
    elif index + 1 < len(sizes):
        following = (sizes[index + 1][0], 1)
    else:
        following = None
    return previous, following


def _slide(results, group_id, number):
    if group_id is None:
        total = len(OVERVIEW_SLIDES)
        number = min(max(number, 1), total)
        kind = OVERVIEW_SLIDES[number - 1]
        titles = {
            "results": _("Results of all groups"),
            "category": _("Services by category"),
            "target-group": _("Services by target group"),
        }
        return Slide("results" if kind == "results" else "chart", None, number, total, titles[kind], chart=kind)
    result = next((r for r in results if r.group.id == group_id), None)
    if result is None:
        raise UnknownGroup(group_id)
    total = 1 + len(result.stages)
    number = min(max(number, 1), total)
    if number == 1:
        return Slide("summary", group_id, 1, total, result.group.name, result=result, stage_count=len(result.stages))
    stage = result.stages[number - 2]
    return Slide(
        "stage",
        group_id,
        number,
        total,
        stage.stage.title,
        result=result,
        stage=stage,
        stage_number=number - 1,
        stage_count=len(result.stages),
    )


def deck_at(workshop, group_id=None, number=1):
    """The slide at this position (the number is kept within its deck), in the workshop's language.

    Raises UnknownGroup for a group id that is not one of the workshop's current groups.
    """
    results = group_results(workshop, workshop.locale)
    with force_locale(workshop.locale):
        slide = _slide(results, group_id, number)
        previous, following = _neighbours(_deck_sizes(results), slide.group_id, slide.number)
        if slide.group_id is None:
            where = slide.title
        else:
            where = (
                _("%(group)s: %(title)s", group=slide.result.group.name, title=slide.title)
                if slide.kind == "stage"
                else slide.title
            )
        announcement = _(
            "Slide %(number)s of %(total)s: %(title)s", number=slide.number, total=slide.total, title=where
        )
        charts = [c for c in charts_for(results) if c.kind == slide.chart] if slide.kind == "chart" else []
    return Deck(slide, results, previous, following, charts, announcement)
