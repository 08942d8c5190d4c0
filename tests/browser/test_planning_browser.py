"""A facilitator plans a workshop in the browser: agenda, groups, a template, the join sheet."""

import io
import re
import secrets

import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import check_accessibility


def sign_up(page):
    email = f"planner-{secrets.token_hex(3)}@example.org"
    page.goto("/signup")
    page.get_by_label("Your name").fill("Магдалена Мадейска")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_plan_a_workshop_from_agenda_to_join_sheet(new_page, live_server):
    page = new_page(expected_statuses=(409, 422))
    sign_up(page)
    check_accessibility(page)

    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill("Podaj dalej: spotkanie w Andrychowie")
    page.get_by_label("First day").fill("2011-05-12")
    page.get_by_label("Venue", exact=True).fill("Miejska Biblioteka Publiczna w Andrychowie")
    page.get_by_label("Workshop language").select_option("pl")
    check_accessibility(page)
    page.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Podaj dalej: spotkanie w Andrychowie")
    check_accessibility(page)

    # Agenda: two items, then the second one moved up with the keyboard.
    page.get_by_role("navigation", name="Workshop sections").get_by_role("link", name="Agenda").click()
    add = page.locator("#agenda-add-form")
    add.get_by_label("Title").fill("Powitanie gości")
    add.get_by_label("Starts at").fill("10:00")
    add.get_by_label("Duration in minutes").fill("15")
    add.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda-item")).to_have_count(1)
    add = page.locator("#agenda-add-form")
    expect(add.get_by_label("Title")).to_have_value("")  # the fresh form is in place
    add.get_by_label("Title").fill("Prezentacja multimedialna")
    add.get_by_label("Duration in minutes").fill("30")
    add.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda-item")).to_have_count(2)
    check_accessibility(page)
    page.get_by_role("button", name="Move “Prezentacja multimedialna” up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-item").first).to_contain_text("Prezentacja multimedialna")
    expect(page.locator(".agenda-item").nth(1)).to_contain_text("Powitanie gości")

    # Groups.
    page.get_by_role("navigation", name="Workshop sections").get_by_role("link", name="Groups").click()
    page.get_by_label("Name", exact=True).first.fill("Biblioteka w Pilicy")
    page.get_by_role("button", name="Add group").click()
    expect(page.locator("#groups")).to_contain_text("Biblioteka w Pilicy")
    check_accessibility(page)

    # A template of one's own: copy the built-in one and rename a stage.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Templates").click()
    check_accessibility(page)
    page.get_by_label("Language of the template").select_option(label="English")
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit template")
    card = page.get_by_role("region", name="Stage 2: Goal")
    card.get_by_label("Stage title").fill("Purpose")
    card.get_by_role("button", name="Save stage").click()
    expect(page.get_by_role("region", name="Stage 2: Purpose")).to_be_visible()
    expect(page.locator("#process-status")).to_contain_text("Purpose")
    check_accessibility(page)

    # The join sheet: its QR code, read back from the pixels, opens this server's join page.
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Open “Podaj dalej: spotkanie w Andrychowie”").click()
    page.get_by_role("navigation", name="Workshop sections").get_by_role("link", name="Join code").click()
    check_accessibility(page)
    page.get_by_role("link", name="Open the printable join sheet").click()
    check_accessibility(page)
    code = page.locator("#join-sheet-code").inner_text().replace(" ", "").strip()
    picture = Image.open(io.BytesIO(page.locator("svg#join-sheet-qr").screenshot()))
    decoded = [result.text for result in zxingcpp.read_barcodes(picture)]
    # Opened on the laptop itself (127.0.0.1), the QR uses one of the machine's network addresses
    # on this server's port, the one printed under it; with none found, the address reached.
    assert decoded == [page.locator(".join-sheet__url").inner_text().strip()]
    port = live_server.rsplit(":", 1)[1]
    offered = page.locator("#join-sheet-address option").evaluate_all("options => options.map(o => o.value)")
    hosts = offered or ["127.0.0.1"]
    assert decoded[0] in [f"http://{host}:{port}/j/{code}" for host in hosts]

    # With the venue's Wi-Fi password, the sheet first connects the phone, then joins: both
    # codes read back from the pixels, and the sheet still prints on one A4 page.
    page.goto(re.sub(r"/join/sheet.*$", "/edit", page.url))
    page.get_by_label("Wi-Fi name").fill("Biblioteka-Goscie")
    page.get_by_label("Wi-Fi password (optional)").fill("czytamy;razem")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Podaj dalej: spotkanie w Andrychowie")
    page.goto(page.url + "/join/sheet")
    check_accessibility(page)
    wifi = Image.open(io.BytesIO(page.locator("svg#join-sheet-wifi-qr").screenshot()))
    assert [result.text for result in zxingcpp.read_barcodes(wifi)] == [
        "WIFI:T:WPA;S:Biblioteka-Goscie;P:czytamy\\;razem;;"
    ]
    expect(page.get_by_role("heading", level=2)).to_have_text(["1. Połącz się z Wi-Fi", "2. Dołącz do warsztatu"])
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(printed.pages) == 1
