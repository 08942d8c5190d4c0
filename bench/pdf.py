"""The workshop PDF for 10 groups x 8 stages: how long it takes cold and cached.

    .venv/bin/python bench/pdf.py                  # 10 groups, 5 runs each
    .venv/bin/python bench/pdf.py --groups 20 --runs 9

It builds a workshop in a temporary SQLite database (the demo's agenda, 10 groups of five
people, every field of the 8 stages answered with 100-800 characters of Bulgarian-like text,
lists of 3-8 lines), then downloads /w/<id>/g/<gid>/workshop.pdf as a participant would,
through the whole app (cookie check, fingerprint, cache, response):

  first start   the PDF helper process not running yet (as on a fresh server), cache empty
  cold          the helper already running, cache empty
  cached        nothing changed since the last download

and the same for one group's PDF. Medians are printed; the targets are < 2 s cold, < 50 ms cached.
It runs on gevent, as the server does, with a greenlet that wakes every millisecond: the longest
it had to wait is the longest the web process held the loop while PDFs were made.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from datetime import time as clock  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = [
    "библиотеката",
    "читалището",
    "доброволци",
    "услуга",
    "услугата",
    "община",
    "партньори",
    "деца",
    "ученици",
    "възрастни",
    "хора",
    "компютър",
    "интернет",
    "обучение",
    "обучения",
    "занимания",
    "среща",
    "срещи",
    "група",
    "групата",
    "местната",
    "общност",
    "информация",
    "достъп",
    "подкрепа",
    "програма",
    "проект",
    "идея",
    "ресурси",
    "бюджет",
    "медии",
    "вестник",
    "радио",
    "сайт",
    "учители",
    "родители",
    "семейства",
    "читатели",
    "книги",
    "приказки",
    "запис",
    "записи",
    "електронни",
    "услуги",
    "кандидатстване",
    "работа",
    "заетост",
    "здраве",
    "култура",
    "образование",
    "умения",
    "включване",
    "бизнес",
    "земеделци",
    "овощари",
    "туристи",
    "кметството",
    "училището",
    "детската",
    "градина",
    "пенсионерския",
    "клуб",
    "всяка",
    "седмица",
    "през",
    "лятото",
    "в",
    "събота",
    "с",
    "помощта",
    "на",
    "за",
    "нуждите",
    "на",
    "заедно",
    "с",
    "чрез",
    "по",
    "време",
    "на",
    "след",
    "като",
    "така",
    "че",
    "и",
    "да",
    "се",
    "ще",
    "бъде",
    "нашата",
    "новата",
    "безплатна",
    "редовна",
    "достъпна",
    "полезна",
    "важна",
    "малка",
    "голяма",
    "местна",
    "регионална",
]
CATEGORIES = ["e-health", "e-employment", "e-culture", "e-business", "e-inclusion", "e-education", "e-skills"]
NAMES = [
    "Мария",
    "Иван",
    "Елена",
    "Георги",
    "Десислава",
    "Петър",
    "Снежана",
    "Николай",
    "Валентина",
    "Стоян",
    "Радослава",
    "Христо",
    "Милена",
    "Димитър",
    "Цветана",
]
SURNAMES = ["Петрова", "Иванов", "Андонова", "Георгиев", "Симеонова", "Николов", "Велинова", "Стоянов"]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice([".", ".", ".", "!", "?"])


def text_of_length(rng, low=100, high=800):
    target = rng.randint(low, high)
    parts = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(sentence(rng))
    return " ".join(parts)[:target].rstrip() + "."


def list_text(rng):
    return "\n".join(sentence(rng)[: rng.randint(30, 110)] for _ in range(rng.randint(3, 8)))


def build_workshop(groups, rng):
    """A workshop planned like the demo, with every field of every group answered."""
    from facilitator import demo
    from facilitator.accounts import services as accounts
    from facilitator.agenda.models import AgendaItem, Speaker
    from facilitator.answers.models import Answer
    from facilitator.extensions import db
    from facilitator.groups.models import Group
    from facilitator.participants.models import Participant
    from facilitator.planning import services as planning

    owner = accounts.sign_up("bench@example.org", "Bench", "bench password")
    workshop = planning.create_workshop(
        owner,
        demo.TITLE,
        date(2012, 6, 6),
        ends_on=date(2012, 6, 7),
        description=demo.DESCRIPTION,
        venue_place="Кюстендил, синята зала на НЧ „Братство“",
        venue_address="гр. Кюстендил",
        locale="bg",
        day_starts_at=clock(9, 30),
    )
    for position, (day, starts_at, minutes, kind, title, speakers) in enumerate(demo.AGENDA):
        item = AgendaItem(
            workshop_id=workshop.id,
            position=position,
            day_index=day,
            starts_at=starts_at,
            duration_minutes=minutes,
            kind=kind,
            title=title,
        )
        item.speakers = [Speaker(position=i, name=n, role=r, organisation=o) for i, (n, r, o) in enumerate(speakers)]
        db.session.add(item)
    fields = [f for stage in workshop.process.stages for f in stage.fields]
    made = []
    for number in range(groups):
        group = Group(workshop_id=workshop.id, position=number, name=f"Група {number + 1}", colour="blue")
        db.session.add(group)
        db.session.flush()
        made.append(group)
        for field in fields:
            if field.kind == "choice":
                value = rng.choice(CATEGORIES)
            elif field.kind == "list":
                value = list_text(rng)
            elif field.kind in ("money", "number"):
                value = str(rng.randint(5, 80) * 100)
            elif field.kind == "short-text":
                value = text_of_length(rng, 40, 140)
            else:
                value = text_of_length(rng)
            db.session.add(Answer(group_id=group.id, field_id=field.id, value=value))
        for seat in range(5):
            db.session.add(
                Participant(
                    workshop_id=workshop.id,
                    group_id=group.id,
                    token=f"bench-{number}-{seat}",
                    display_name=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)} {number}{seat}",
                    is_spokesperson=seat == 0,
                )
            )
    workshop.pdfs_released_at = workshop.created_at
    db.session.commit()
    return workshop, made


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args()

    from facilitator import create_app
    from facilitator.config import Config
    from facilitator.extensions import db
    from facilitator.participants import services as participant_services
    from facilitator.participants.models import Participant
    from facilitator.summaries import services
    from facilitator.summaries.renderer import renderer_for

    folder = Path(tempfile.mkdtemp(prefix="facilitator-bench-pdf-"))
    cache = folder / "pdf-cache"
    app = create_app(
        Config,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "PDF_CACHE_DIR": str(cache),
            "RATELIMIT_ENABLED": False,
        },
    )
    rng = random.Random(args.seed)
    try:
        with app.app_context():
            db.create_all()
            workshop, groups = build_workshop(args.groups, rng)
            participant = db.session.scalar(db.select(Participant).filter_by(group_id=groups[0].id))
            cookie = participant_services.cookie_value(app.config["SECRET_KEY"], participant)
            answers = sum(len(stage.fields) for stage in workshop.process.stages) * len(groups)
            workshop_id, group_id = workshop.id, groups[0].id
        client = app.test_client()
        client.set_cookie(participant_services.cookie_name(workshop_id), cookie)
        urls = {
            "workshop": f"/w/{workshop_id}/g/{group_id}/workshop.pdf",
            "group": f"/w/{workshop_id}/g/{group_id}/summary.pdf",
        }
        renderer = renderer_for(app.static_folder)
        waits = []

        def tick():
            """Wake every millisecond; a longer wait means the loop was held that long."""
            while True:
                before = time.perf_counter()
                gevent.sleep(0.001)
                waits.append(time.perf_counter() - before - 0.001)

        ticker = gevent.spawn(tick)

        def download(url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.data

        def empty_cache():
            shutil.rmtree(cache, ignore_errors=True)

        figures = {}
        pdf_bytes = {}
        for kind, url in urls.items():
            first, cold, cached = [], [], []
            for _ in range(args.runs if kind == "workshop" else 1):
                renderer.close()  # as on a fresh server: no helper yet
                empty_cache()
                seconds, data = timed(lambda: download(url))
                first.append(seconds)
            for _ in range(args.runs):
                empty_cache()
                seconds, data = timed(lambda: download(url))
                cold.append(seconds)
            for _ in range(args.runs * 4):
                seconds, cached_data = timed(lambda: download(url))
                assert cached_data == data
                cached.append(seconds)
            figures[kind] = (first, cold, cached)
            pdf_bytes[kind] = data

        with app.app_context():
            from facilitator.workshops.models import Workshop

            workshop = db.session.get(Workshop, workshop_id)
            html_times = [timed(lambda: services.workshop_pdf_html(workshop))[0] for _ in range(args.runs)]
            print_times = [timed(lambda: services.fingerprint(workshop))[0] for _ in range(args.runs * 4)]
        ticker.kill()
        renderer.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    try:
        import io

        from pypdf import PdfReader

        pages = {kind: len(PdfReader(io.BytesIO(data)).pages) for kind, data in pdf_bytes.items()}
    except ImportError:
        pages = dict.fromkeys(pdf_bytes, "?")

    import weasyprint

    print(
        f"Facilitator PDF benchmark · Python {platform.python_version()} · WeasyPrint {weasyprint.__version__} "
        f"· {os.cpu_count()} CPUs · {platform.machine()}"
    )
    print(
        f"workshop: {args.groups} groups x 8 stages, {answers} answers of 100-800 characters, "
        f"{len(__import__('facilitator.demo', fromlist=['AGENDA']).AGENDA)} agenda items"
    )
    for kind, (first, cold, cached) in figures.items():
        size = len(pdf_bytes[kind]) / 1024
        print(f"\n{kind} PDF: {pages[kind]} pages, {size:.0f} KiB (median of n runs, full request through the app)")
        print(f"  first start (no helper yet)  {ms(statistics.median(first))}   n={len(first)}")
        print(
            f"  cold (helper running)        {ms(statistics.median(cold))}   n={len(cold)}  "
            f"min {ms(min(cold)).strip()}, max {ms(max(cold)).strip()}"
        )
        print(
            f"  cached                       {ms(statistics.median(cached))}   n={len(cached)}  "
            f"max {ms(max(cached)).strip()}"
        )
    print("\nin the web process, per workshop PDF (medians):")
    print(f"  HTML from the templates      {ms(statistics.median(html_times))}")
    print(f"  fingerprint (cache key)      {ms(statistics.median(print_times))}")
    print(f"  longest the loop was held    {ms(max(waits, default=float('nan')))}   (over {len(waits)} wake-ups)")
    cold_ok = statistics.median(figures["workshop"][1]) < 2
    cached_ok = statistics.median(figures["workshop"][2]) < 0.05
    print(f"\ntargets: cold < 2 s {'met' if cold_ok else 'MISSED'}, cached < 50 ms {'met' if cached_ok else 'MISSED'}")


if __name__ == "__main__":
    main()
