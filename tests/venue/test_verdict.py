"""The verdict a facilitator reads after the check: holds, holds only just, or fails and what to do."""

from flask_babel import force_locale

from facilitator.venue.verdict import FAILS, HOLDS, TIGHT, figures_line, verdict

GOOD = {
    "phones": 60,
    "joined": 60,
    "streams": 60,
    "streams_dropped": 0,
    "typing": 60,
    "saves_asked": 1800,
    "saves_done": 1800,
    "save_errors": 0,
    "join_errors": 0,
    "deliveries": 7200,
    "lost": 0,
    "saves_lost": 0,
    "p50": 12.0,
    "p95": 40.2,
    "p99": 80.0,
    "rss_mb": 140,
}


def test_a_fast_check_without_losses_holds(app):
    with app.test_request_context(), force_locale("en"):
        found = verdict(GOOD, 60)
        line = figures_line(GOOD)
    assert found.level == HOLDS
    assert found.headline == "This laptop holds 60 phones: saves reach teammates in 40 ms (p95), 0 lost."
    assert not found.problems
    assert "p95 40 ms" in line and "saves done 1800 of 1800" in line and "Server memory: 140 MB." in line
    assert any("does not test the Wi-Fi" in advice for advice in found.advice)


def test_a_slow_but_complete_check_is_tight_in_polish(app):
    with app.test_request_context(), force_locale("pl"):
        found = verdict(dict(GOOD, p95=600), 60)
    assert found.level == TIGHT
    assert "60" in found.headline and "600 ms" in found.headline
    assert found.headline.startswith("Ten laptop")
    assert any("PostgreSQL" in advice for advice in found.advice)


def test_lost_saves_fail_and_say_what_to_do_in_bulgarian(app):
    figures = dict(GOOD, joined=55, lost=3, save_errors=4, p95=1500)
    with app.test_request_context(), force_locale("bg"):
        found = verdict(figures, 60)
    assert found.level == FAILS
    assert "60" in found.headline and "лаптоп" in found.headline
    text = " ".join(found.problems)
    assert "5" in text and "3" in text and "4" in text and "1500" in text
    assert any("PostgreSQL" in advice for advice in found.advice)


def test_a_check_where_nothing_arrived_fails(app):
    with app.test_request_context(), force_locale("en"):
        found = verdict(dict(GOOD, p95=None, p50=None, p99=None), 60)
        line = figures_line(dict(GOOD, p95=None))
    assert found.level == FAILS
    assert "No save reached a teammate's phone." in found.problems
    assert "p95 – ms" in line


def test_a_check_slower_than_a_second_fails_even_without_losses(app):
    with app.test_request_context(), force_locale("en"):
        found = verdict(dict(GOOD, p95=1200), 60)
    assert found.level == FAILS
    assert found.headline == "This laptop did not hold 60 phones."
    assert any("1200 ms" in problem for problem in found.problems)
