"""The one answer path: fragment for htmx, redirect with a flash after a plain success, else the page."""

import pytest
from flask import get_flashed_messages
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField

from facilitator.core.domain import DomainError, Messages, message_for, messages, show_on
from facilitator.core.htmx import Area, next_focus, retyped, submit, wants_fragment

HX = {"HX-Request": "true"}


def fake_render(name, **context):
    """Each part as its name and the flags the layer sets, so the answer's shape is plain to see."""
    return f"[{name} oob={context.get('oob')} announce={context.get('announce')} extra={context.get('extra')}]"


def completed(context):
    context["completed"] = True


@pytest.fixture
def ui():
    return Area("things-status", complete_page=completed, render=fake_render)


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, False),
        (HX, True),
        ({**HX, "HX-Boosted": "true"}, True),  # hx-boost is not used: nothing treats boosted requests apart
        ({**HX, "HX-History-Restore-Request": "true"}, False),  # a history miss wants the whole page
    ],
)
def test_wants_fragment(app, headers, expected):
    with app.test_request_context("/", headers=headers):
        assert wants_fragment() is expected


def test_htmx_gets_the_fragment_with_its_out_of_band_parts_and_the_announcement(app, ui):
    with app.test_request_context("/", method="POST", headers=HX):
        response = ui.answer(
            "page.html",
            "part.html",
            {},
            announce="Saved.",
            also=["list.html", ("flag.html", {"extra": 1})],
            redirect_to="/elsewhere",
            retarget="#list",
            event="things-changed",
        )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.splitlines() == [
        "[part.html oob=False announce=None extra=None]",
        "[list.html oob=True announce=None extra=None]",
        "[flag.html oob=True announce=None extra=1]",
        "[core/_announce.html oob=None announce=Saved. extra=None]",
    ]
    assert response.headers["HX-Retarget"] == "#list" and response.headers["HX-Reswap"] == "outerHTML"
    assert response.headers["HX-Trigger"] == "things-changed"


def test_a_refusal_to_htmx_keeps_its_status_and_triggers_nothing(app, ui):
    with app.test_request_context("/", method="POST", headers=HX):
        response = ui.refuse("page.html", "form.html", {}, status=409, event="things-changed")
    assert response.status_code == 409
    assert response.get_data(as_text=True) == "[form.html oob=False announce=None extra=None]"
    assert "HX-Trigger" not in response.headers and "HX-Retarget" not in response.headers


def test_a_plain_success_redirects_and_flashes_the_announcement(app, ui):
    with app.test_request_context("/", method="POST"):
        response = ui.answer("page.html", "part.html", {}, announce="Saved.", redirect_to="/things#thing-3")
        assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]
    assert response.status_code == 302 and response.headers["Location"] == "/things#thing-3"


def test_a_plain_refusal_is_the_whole_page_with_the_announcement_in_its_live_region(app, ui):
    seen = {}

    def render(name, **context):
        seen.update(context, name=name)
        return "page"

    ui.render = render
    with app.test_request_context("/", method="POST"):
        response = ui.refuse(
            "page.html", "part.html", {"form": "typed"}, announce="Gone meanwhile.", redirect_to="/things"
        )
        assert get_flashed_messages() == []
    assert response.status_code == 422
    assert seen == {
        "name": "page.html",
        "form": "typed",
        "announce": "Gone meanwhile.",
        "oob": False,
        "completed": True,
    }


def test_the_real_announcement_template_updates_the_areas_live_region(app):
    with app.test_request_context("/", headers=HX):
        context = {"region": "things-status", "announce": "<b>"}
        response = Area("things-status").answer(
            "core/_announce.html", "core/_announce.html", context, announce="Done & dusted."
        )
    body = response.get_data(as_text=True)
    assert '<div hx-swap-oob="innerHTML:#things-status"><p>Done &amp; dusted.</p></div>' in body


def test_messages_word_codes_fill_their_values_and_fall_back_politely(app):
    registry = Messages()
    registry.register({"too-long": _l("This is too long: at most %(max)d characters.")})
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert registry.message_for("too-long", max=200) == "This is too long: at most 200 characters."
        assert registry.message_for("no-such-code") == "That could not be saved."


def test_one_code_means_one_thing_in_every_area():
    registry = Messages()
    registry.register({"name-required": _l("Please fill in this field.")})
    registry.register({"name-required": _l("Please fill in this field.")})  # the same words: fine
    with pytest.raises(ValueError, match="name-required"):
        registry.register({"name-required": _l("Choose a group.")})


class ThingForm(Form):
    name = StringField()
    other = StringField()


def test_a_refusal_lands_on_its_field_or_on_top_of_the_form(app):
    messages.register({"test-name-taken": _l("Choose a group.")})
    with app.test_request_context("/"):
        form = ThingForm()
        form.validate()
        show_on(form, DomainError("test-name-taken", "name"))
        show_on(form, DomainError("test-name-taken", "nowhere"))
        assert form.name.errors == [message_for("test-name-taken")]
        assert form.form_errors == [message_for("test-name-taken")]


def test_submit_returns_what_the_action_did_or_none_with_the_focus_on_the_refused_field(app):
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = ThingForm(formdata=None)
        form.validate_on_submit = form.validate  # as a posted FlaskForm with a good token

        def refuse():
            raise DomainError("title-too-long", "other", max=3)

        assert submit(form, lambda: "done") == "done"
        assert submit(form, refuse) is None
        assert form.other.errors and form.other.render_kw == {"autofocus": True}
        form.validate_on_submit = lambda: False
        assert submit(form, lambda: pytest.fail("an invalid form runs nothing")) is None


def test_retyped_text_moves_to_the_add_form_without_the_token(app):
    data = {"row-7-name": "Library", "row-7-csrf_token": "secret", "row-70-name": "other", "new-name": "old"}
    with app.test_request_context("/", method="POST", data=data):
        assert list(retyped("row-7", "new").items(multi=True)) == [("new-name", "Library")]


@pytest.mark.parametrize("removed, expected", [("a", "b"), ("b", "c"), ("c", "b")])
def test_the_focus_goes_to_the_row_taking_the_removed_ones_place(removed, expected):
    assert next_focus(["a", "b", "c"], removed) == expected
    assert next_focus(["a"], "a") is None
