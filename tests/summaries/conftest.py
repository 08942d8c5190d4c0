"""Fixtures for the PDF summaries: a cache folder per test, the demo and a Polish workshop, devices."""

import io
import re
import subprocess
from datetime import date, time

import pytest

from facilitator import demo
from facilitator.agenda.models import AgendaItem, Speaker
from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.participants import services as participant_services


@pytest.fixture(autouse=True)
def pdf_cache(app, tmp_path):
    """Each test starts with an empty PDF cache of its own."""
    folder = tmp_path / "pdf-cache"
    app.config["PDF_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def demo_workshop(app):
    """The Kyustendil meeting of seed 004, in Bulgarian, with its five groups' results."""
    _, workshop, _ = demo.load_demo("demo@example.org", "demo-workshop")
    return workshop


@pytest.fixture
def as_demo(post_form):
    """Sign the test client in as the demo workshop's facilitator."""

    def sign_in():
        response = post_form("/signin", {"email": "demo@example.org", "password": "demo-workshop"})
        assert response.status_code == 302

    return sign_in


def fields_by_key(workshop):
    return {f.key: f for stage in workshop.process.stages for f in stage.fields}


def answer(group, field, value):
    """Store a group's answer as a save would leave it (version 1)."""
    db.session.add(Answer(group_id=group.id, field_id=field.id, value=value))


def demo_group(workshop, name):
    return db.session.scalar(db.select(Group).filter_by(workshop_id=workshop.id, name=name))


POLISH_TITLE = "Podaj dalej — spotkanie partnerskie w Łazach"


@pytest.fixture
def polish_workshop(create_workshop):
    """Seed 000 as a workshop in Polish: two groups with answers, members and an agenda."""
    workshop = create_workshop(
        title=POLISH_TITLE,
        starts_on=date(2013, 5, 14),
        locale="pl",
        venue_place="Miejska Biblioteka Publiczna w Łazach",
        venue_address="ul. Traugutta 15, Łazy",
        description="Pierwsze z czterech spotkań bibliotek z Łaz, Pilicy, Kroczyc i Andrychowa.",
    )
    item = AgendaItem(
        workshop_id=workshop.id,
        position=0,
        starts_at=time(10, 0),
        duration_minutes=30,
        kind="talk",
        title="Biblioteka jako centrum lokalnych inicjatyw",
    )
    item.speakers = [
        Speaker(
            position=0, name="Małgorzata Żółkiewska", role="trenerka", organisation="Stowarzyszenie Inicjatyw Lokalnych"
        )
    ]
    db.session.add(item)
    fields = fields_by_key(workshop)
    for position, (name, category, service, target, partners) in enumerate(
        [
            (
                "Grupa Pilica",
                "e-skills",
                "Kurs obsługi smartfona dla seniorów",
                "Seniorzy z gminy Pilica",
                "Urząd Gminy Pilica\n- Klub Seniora „Złota Jesień”\n\nSzkoła Podstawowa nr 1",
            ),
            (
                "Grupa Kroczyce",
                "e-culture",
                "Cyfrowe archiwum wspomnień mieszkańców",
                "Mieszkańcy Kroczyc",
                "Gminny Ośrodek Kultury",
            ),
        ]
    ):
        group = Group(workshop_id=workshop.id, position=position, name=name, colour="blue", service_category=category)
        db.session.add(group)
        db.session.flush()
        answer(group, fields["category"], category)
        answer(group, fields["service_name"], service)
        answer(group, fields["target_group"], target)
        answer(group, fields["partners"], partners)
        answer(group, fields["goal"], "Zażółć gęślą jaźń: seniorzy uczą się przez całe życie.")
    db.session.commit()
    return workshop


def join_group(workshop, group, name, spokesperson=False):
    """A participant in the group, as the join form makes one."""
    participant = participant_services.join(workshop, group, name)
    if spokesperson:
        participant.is_spokesperson = True
        db.session.commit()
    return participant


@pytest.fixture
def device(app):
    """A phone (its own test client) carrying the cookie the join form gives a participant."""

    def make(participant):
        client = app.test_client()
        client.set_cookie(
            participant_services.cookie_name(participant.workshop_id),
            participant_services.cookie_value(app.config["SECRET_KEY"], participant),
        )
        return client

    return make


# --- reading PDFs back ---------------------------------------------------------------------------


def pdf_pages(data):
    """The text of each page, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text):
    """Text with all whitespace runs made one space, so line breaks don't matter."""
    return " ".join(text.split())


def pdf_text(data):
    return squash(" ".join(pdf_pages(data)))


def poppler_text(data, *args):
    """pdftotext's reading of the PDF (poppler-utils)."""
    return subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def dark_pixels_on_page_one(data):
    """How many pixels of page 1 are not white, rendered in grey at 30 dpi by pdftoppm."""
    pgm = subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            "-",
        ],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    width, height, _ = (int(n) for n in match.groups())
    pixels = pgm[match.end() : match.end() + width * height]
    assert len(pixels) == width * height
    return sum(1 for value in pixels if value < 200), width * height
