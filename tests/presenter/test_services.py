"""Slides in order: "all groups" first, then each group's summary and stages; arrows cross decks."""

import pytest

from facilitator.extensions import db
from facilitator.presenter import services


def test_the_all_groups_deck(app, demo_workshop, demo_groups):
    deck = services.deck_at(demo_workshop)
    assert (deck.slide.kind, deck.slide.number, deck.slide.total) == ("results", 1, 3)
    assert deck.previous is None and deck.following == (None, 2)
    assert [r.group.name for r in deck.results] == ["Група 1", "Група 2", "Група 3", "Група 4", "Група 5"]
    charts = services.deck_at(demo_workshop, None, 2)
    assert charts.slide.kind == "chart" and [c.kind for c in charts.charts] == ["category"]
    last = services.deck_at(demo_workshop, None, 3)
    assert [c.kind for c in last.charts] == ["target-group"]
    assert last.following == (demo_groups[0].id, 1)


def test_a_groups_deck_is_a_summary_then_one_slide_per_stage(app, demo_workshop, demo_groups):
    second = demo_groups[1].id
    summary = services.deck_at(demo_workshop, second, 1)
    assert (summary.slide.kind, summary.slide.total) == ("summary", 9)
    assert summary.previous == (demo_groups[0].id, 9) and summary.following == (second, 2)
    goal = services.deck_at(demo_workshop, second, 3)
    assert goal.slide.kind == "stage" and goal.slide.stage.stage.title == "Цел"
    assert (goal.slide.stage_number, goal.slide.stage_count) == (2, 8)
    assert goal.slide.stage.answers[0][1].startswith("Възрастните с двигателни увреждания")
    # The projector speaks the workshop's language (Bulgarian in the demo).
    assert goal.announcement == "Слайд 3 от 9: Група 2: Цел"
    end = services.deck_at(demo_workshop, demo_groups[-1].id, 9)
    assert end.following is None and end.previous == (demo_groups[-1].id, 8)


@pytest.mark.parametrize("asked, shown", [(0, 1), (-4, 1), (99, 9), (5, 5)])
def test_slide_numbers_stay_in_their_deck(app, demo_workshop, demo_groups, asked, shown):
    assert services.deck_at(demo_workshop, demo_groups[0].id, asked).slide.number == shown


def test_unknown_and_archived_groups_are_refused(app, demo_workshop, demo_groups, create_workshop):
    from facilitator.accounts.models import utcnow

    with pytest.raises(services.UnknownGroup):
        services.deck_at(demo_workshop, 99999, 1)
    demo_groups[4].archived_at = utcnow()
    db.session.commit()
    with pytest.raises(services.UnknownGroup):
        services.deck_at(demo_workshop, demo_groups[4].id, 1)
    # The last deck is now group 4's.
    assert services.deck_at(demo_workshop, demo_groups[3].id, 9).following is None


def test_long_answers_make_a_dense_slide(app, demo_workshop, demo_groups):
    from facilitator.answers.models import Answer
    from facilitator.stages.models import StageField

    field = db.session.scalar(db.select(StageField).where(StageField.key == "goal"))
    answer = db.session.scalar(db.select(Answer).filter_by(group_id=demo_groups[0].id, field_id=field.id))
    assert not services.deck_at(demo_workshop, demo_groups[0].id, 3).slide.dense
    answer.value = "Дълъг отговор. " * 400
    db.session.commit()
    assert services.deck_at(demo_workshop, demo_groups[0].id, 3).slide.dense
