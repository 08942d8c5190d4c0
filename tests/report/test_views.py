"""The Report section: edit the introduction, preview, publish, and read it without an account."""

import io
import re

from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.report import services
from facilitator.stages.models import StageField
from facilitator.workshops.models import Workshop

HX = {"HX-Request": "true"}


def url(workshop, action=""):
    return f"/workshops/{workshop.id}/report" + (f"/{action}" if action else "")


def sign_in_as_other(post_form):
    post_form("/signout", {}, page="/account")
    response = post_form("/signin", {"email": "boris@example.bg", "password": "another password"})
    assert response.status_code == 302


def csrf_of(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_the_report_page_needs_an_account(client, demo_workshop):
    response = client.get(url(demo_workshop))
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_the_report_page_shows_form_publishing_and_preview(client, as_demo):
    response = client.get(url(as_demo))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<a href="/workshops/%d/report"\n               aria-current="page">' % as_demo.id in page
    assert 'id="report-intro-form"' in page and 'id="report-publish"' in page and 'id="report-preview"' in page
    assert '<article class="report" lang="bg"' in page
    assert "София Пейчева" in page and "Обучение на млади овощари" in page
    assert 'hx-trigger="report-changed from:body"' in page
    assert "css/report.css" in page


def test_the_preview_is_a_fragment_for_htmx(client, as_demo):
    response = client.get(url(as_demo, "preview"), headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card report-preview" id="report-preview"')
    assert "<html" not in body and "Кюстендил" in body
    plain = client.get(url(as_demo, "preview"))
    assert plain.status_code == 302 and plain.headers["Location"].endswith(url(as_demo))


def test_saving_the_introduction_with_htmx(client, as_demo):
    token = csrf_of(client.get(url(as_demo)).get_data(as_text=True))
    response = client.post(
        url(as_demo), data={"csrf_token": token, "intro": "Над 40 участници.\r\n\r\nБлагодарим!"}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "report-changed"
    assert body.lstrip().startswith('<section class="card report-intro" id="report-intro-form"')
    assert 'hx-swap-oob="innerHTML:#report-status"><p>The introduction is saved.</p>' in body
    assert "<article" not in body  # the preview reloads on its own, on the event
    assert db.session.get(Workshop, as_demo.id).report_intro == "Над 40 участници.\n\nБлагодарим!"
    preview = client.get(url(as_demo, "preview"), headers=HX).get_data(as_text=True)
    assert "<p>Над 40 участници.</p><p>Благодарим!</p>" in preview


def test_saving_without_javascript_redirects_back(client, post_form, as_demo):
    response = post_form(url(as_demo), {"intro": "Кратко въведение."})
    assert response.status_code == 302 and response.headers["Location"].endswith(url(as_demo))
    page = client.get(url(as_demo)).get_data(as_text=True)
    assert "The introduction is saved." in page and "Кратко въведение." in page


def test_a_too_long_introduction_is_refused_and_kept(client, post_form, as_demo):
    services.save_intro(as_demo, "Старо.")
    typed = "дълго " * 2000
    response = post_form(url(as_demo), {"intro": typed}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The introduction is too long: at most 10000 characters." in body
    assert 'aria-invalid="true"' in body and 'id="intro-error"' in body
    assert typed.strip() in body  # what was typed is still in the field
    assert db.session.get(Workshop, as_demo.id).report_intro == "Старо."


def test_an_expired_form_keeps_the_text(client, as_demo):
    response = client.post(url(as_demo), data={"intro": "Не губете това."})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form had expired" in body and "Не губете това." in body
    assert db.session.get(Workshop, as_demo.id).report_intro == ""


def test_publish_then_read_without_an_account_then_unpublish(app, client, post_form, as_demo):
    response = post_form(url(as_demo, "publish"), {}, page=url(as_demo), headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "report-changed"
    assert body.lstrip().startswith('<section class="card report-publish" id="report-publish"')
    token = db.session.get(Workshop, as_demo.id).report_token
    assert f"/r/{token}" in body and f"/r/{token}.pdf" in body
    assert "Unpublish" in body
    assert 'hx-swap-oob="innerHTML:#report-status"><p>The report is published.' in body

    reader = app.test_client()
    public = reader.get(f"/r/{token}")
    page = public.get_data(as_text=True)
    assert public.status_code == 200
    assert '<meta name="robots" content="noindex">' in page
    assert '<article class="report" lang="bg"' in page and "Обучение в ИКТ на възрастни" in page
    assert f'href="/r/{token}.pdf"' in page

    response = post_form(url(as_demo, "unpublish"), {}, page=url(as_demo))
    assert response.status_code == 302
    assert reader.get(f"/r/{token}").status_code == 404
    assert reader.get(f"/r/{token}.pdf").status_code == 404


def test_a_wrong_token_is_not_found(app, as_demo):
    services.publish_report(as_demo)
    reader = app.test_client()
    assert reader.get("/r/not-the-token").status_code == 404
    assert reader.get("/r/" + "x" * 100).status_code == 404


def test_publishing_needs_a_csrf_token(client, as_demo):
    assert client.post(url(as_demo, "publish"), data={}).status_code == 400
    assert db.session.get(Workshop, as_demo.id).report_token is None


def test_other_facilitators_get_404(client, post_form, as_demo, other_facilitator):
    token = csrf_of(client.get(url(as_demo)).get_data(as_text=True))
    sign_in_as_other(post_form)
    assert client.get(url(as_demo)).status_code == 404
    assert client.get(url(as_demo, "preview"), headers=HX).status_code == 404
    other_token = csrf_of(client.get("/account").get_data(as_text=True))
    for action in ("publish", "unpublish", ""):
        response = client.post(url(as_demo, action), data={"csrf_token": other_token, "intro": "x"})
        assert response.status_code == 404, action
    assert token and db.session.get(Workshop, as_demo.id).report_token is None


def test_user_text_is_shown_as_text(app, as_demo):
    services.save_intro(as_demo, '<script>alert("intro")</script>\n<img src=http://127.0.0.1:9/x.png>')
    field = db.session.scalar(db.select(StageField).where(StageField.key == "service_name"))
    answer = db.session.scalar(db.select(Answer).filter_by(field_id=field.id))
    answer.value = '<b onmouseover="alert(1)">Жирно</b> & url(javascript:alert(2))'
    db.session.commit()
    token = services.publish_report(as_demo)
    page = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=http" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&#34;intro&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=http://127.0.0.1:9/x.png&gt;" in page
    assert "&lt;b onmouseover=&#34;alert(1)&#34;&gt;Жирно&lt;/b&gt; &amp; url(javascript:alert(2))" in page


def test_the_published_report_as_pdf(app, as_demo):
    from pypdf import PdfReader

    services.save_intro(as_demo, "Въведение от организатора.")
    token = services.publish_report(as_demo)
    response = app.test_client().get(f"/r/{token}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    for expected in (
        "Библиотеката и нейните партньори",
        "Въведение от организатора.",
        "София Пейчева",
        "Обучение на млади овощари",
        "Целева група",
    ):
        assert expected in " ".join(text.split()), expected


def test_a_pdf_that_cannot_be_made_gets_a_plain_answer(app, as_demo, monkeypatch):
    from facilitator.report import views
    from facilitator.summaries.renderer import RenderError

    def broken(report):
        raise RenderError("the helper stopped")

    monkeypatch.setattr(views, "report_pdf", broken)
    token = services.publish_report(as_demo)
    response = app.test_client().get(f"/r/{token}.pdf")
    assert response.status_code == 503
    assert "The PDF could not be made just now" in response.get_data(as_text=True)


def test_the_published_report_has_the_agenda_and_whole_words_in_its_register(app, as_demo):
    from pypdf import PdfReader

    from facilitator.agenda.services import items_of
    from facilitator.register.models import RegisterEntry

    token = services.publish_report(as_demo)
    page = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    for item in items_of(as_demo):
        assert item.title in page, item.title
    reader = PdfReader(io.BytesIO(app.test_client().get(f"/r/{token}.pdf").data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for item in items_of(as_demo):
        assert " ".join(item.title.split()) in text, item.title
    # The register table's words wrap whole: "Кюстендил", never "Кюсте" + "ндил".
    entries = db.session.scalars(db.select(RegisterEntry).filter_by(workshop_id=as_demo.id)).all()
    # A line may end at a hyphen ("ЗОРА-" / "1858"), as any reader expects; within a word it may not.
    names = " ".join(e.municipality + " " + e.library_name for e in entries).replace("-", " ")
    words = {word for word in names.split() if len(word) > 3}
    broken = sorted(word for word in words if word not in text.replace("- ", " "))
    assert not broken, broken
