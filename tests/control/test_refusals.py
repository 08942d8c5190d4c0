"""Refused control-room actions sent without htmx (no JavaScript, or a fuzzer) answer with the page."""

from facilitator.stages import state as stage_state
from tests.conftest import csrf_token_from


def test_an_empty_comment_without_htmx_shows_the_room_with_the_message(client, as_facilitator, workshop, groups):
    stage_id = _first_stage_id(workshop)
    token = csrf_token_from(client, f"/workshops/{workshop.id}/control")
    response = client.post(
        f"/workshops/{workshop.id}/control/groups/{groups[0].id}/stages/{stage_id}/comments",
        data={"csrf_token": token, f"comment-{stage_id}-text": ""},
    )
    assert response.status_code in (400, 422)
    assert "Група 1" in response.get_data(as_text=True)


def test_a_comment_with_an_expired_token_keeps_the_typed_text(client, as_facilitator, workshop, groups):
    stage_id = _first_stage_id(workshop)
    response = client.post(
        f"/workshops/{workshop.id}/control/groups/{groups[0].id}/stages/{stage_id}/comments",
        data={"csrf_token": "expired", f"comment-{stage_id}-text": "Добра работа, продължете"},
    )
    assert response.status_code == 400
    assert "Добра работа, продължете" in response.get_data(as_text=True)


def test_a_bogus_state_for_one_group_without_htmx_is_refused_with_the_page(client, as_facilitator, workshop, groups):
    stage_id = _first_stage_id(workshop)
    token = csrf_token_from(client, f"/workshops/{workshop.id}/control")
    response = client.post(
        f"/workshops/{workshop.id}/control/groups/{groups[0].id}/stages/{stage_id}/state",
        data={"csrf_token": token, "state": "bogus"},
    )
    assert 400 <= response.status_code < 500
    assert "Група 2" in response.get_data(as_text=True)


def _first_stage_id(workshop):
    """The first stage, opened, so the control room offers its comment box."""
    from facilitator.control import services

    stage = stage_state.stages_of(workshop)[0]
    services.set_stage_state(workshop, stage, "open")
    return stage.id
