"""The verdict on a check's figures, in the current language: holds, holds only just, or fails and why.

Thresholds: the laptop holds the phones when every phone joined and kept its live connection,
every save was stored and reached every teammate, and 95 of 100 saves reached teammates within
250 ms (typing feels shared). It holds them only just ("tight") when all that is true but the
95th percentile is between 250 ms and 1 s. Anything else fails: a lost save, a refused save, a
phone that could not join or lost its stream, or saves slower than a second.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

HOLDS_P95_MS = 250
TIGHT_P95_MS = 1000
HOLDS, TIGHT, FAILS = "holds", "tight", "fails"


@dataclass
class Verdict:
    level: str
    headline: str
    problems: list = field(default_factory=list)
    advice: list = field(default_factory=list)

    def lines(self):
        return [self.headline, *self.problems, *self.advice]


def _problems(figures, phones):
    found = []
    missing = phones - figures.get("joined", 0)
    if missing:
        found.append(
            ngettext(
                "%(num)d of %(phones)d phones could not join the workshop.",
                "%(num)d of %(phones)d phones could not join the workshop.",
                missing,
                phones=phones,
            )
        )
    streamless = figures.get("joined", 0) - figures.get("streams", 0) + figures.get("streams_dropped", 0)
    if streamless > 0:
        found.append(
            ngettext(
                "%(num)d phone had no live connection for a while: it would not see teammates' text.",
                "%(num)d phones had no live connection for a while: they would not see teammates' text.",
                streamless,
            )
        )
    if figures.get("save_errors"):
        found.append(
            _(
                "%(failed)d of %(asked)d saves were refused or got no answer.",
                failed=figures["save_errors"],
                asked=figures.get("saves_asked", 0),
            )
        )
    lost = lost_count(figures)
    if lost:
        found.append(ngettext("%(num)d save was lost on its way.", "%(num)d saves were lost on their way.", lost))
    return found


def lost_count(figures):
    """Deliveries that never reached a teammate, and saves the database does not hold."""
    return figures.get("lost", 0) + figures.get("saves_lost", 0)


def verdict(figures, phones):
    """The verdict on `figures` (from check.run_check) for `phones` phones: level, headline, problems, advice."""
    p95 = figures.get("p95")
    problems = _problems(figures, phones)
    if p95 is None:
        problems.append(_("No save reached a teammate's phone."))
    elif p95 >= TIGHT_P95_MS:
        problems.append(
            _(
                "Saves took %(p95)d ms to reach teammates (p95); over a second, typing no longer feels shared.",
                p95=round(p95),
            )
        )
    values = {"phones": phones, "p95": round(p95 or 0), "lost": lost_count(figures)}
    if problems:
        level = FAILS
        headline = _("This laptop did not hold %(phones)d phones.", **values)
    elif p95 >= HOLDS_P95_MS:
        level = TIGHT
        headline = _(
            "This laptop holds %(phones)d phones, but only just: saves reach teammates in %(p95)d ms (p95), "
            "%(lost)d lost.",
            **values,
        )
    else:
        level = HOLDS
        headline = _(
            "This laptop holds %(phones)d phones: saves reach teammates in %(p95)d ms (p95), %(lost)d lost.", **values
        )
    return Verdict(level, headline, problems, _advice(level, figures, phones))


def _advice(level, figures, phones):
    advice = []
    if level != HOLDS:
        advice.append(_("Close other programs on this laptop and plug it in: on battery it runs slower."))
        advice.append(
            _("Try fewer phones per laptop: run the check again with fewer phones to find how many it holds.")
        )
        advice.append(
            _("For more phones, serve with PostgreSQL and Redis and 2 workers (README: Deploying beyond one laptop).")
        )
    if figures.get("join_errors") or figures.get("save_errors"):
        advice.append(_("The server's log says why requests were refused."))
    advice.append(
        _(
            "The check runs on the laptop itself, so it does not test the Wi-Fi: a small home router may drop "
            "phones long before the laptop is full; for a big room use a router made for many devices."
        )
    )
    return advice


def figures_line(figures):
    """The figures behind the verdict in one line."""

    def ms(name):
        value = figures.get(name)
        return "–" if value is None else f"{round(value)}"

    line = _(
        "Save to teammates: p50 %(p50)s ms, p95 %(p95)s ms, p99 %(p99)s ms; saves done %(done)d of %(asked)d; "
        "lost %(lost)d; errors %(errors)d.",
        p50=ms("p50"),
        p95=ms("p95"),
        p99=ms("p99"),
        done=figures.get("saves_done", 0),
        asked=figures.get("saves_asked", 0),
        lost=lost_count(figures),
        errors=figures.get("save_errors", 0) + figures.get("join_errors", 0),
    )
    if figures.get("rss_mb"):
        line += " " + _("Server memory: %(mb)d MB.", mb=figures["rss_mb"])
    return line
