"""`flask venue addresses` (what `make run` prints): the addresses phones use, and a join QR to scan off the screen."""

from datetime import date, timedelta

import segno

from facilitator.extensions import db
from facilitator.workshops import addresses
from facilitator.workshops.cli import address_report, terminal_language, workshops_to_join

VENUE_WIFI = ["192.168.8.20", "127.0.0.1", "169.254.3.4", "10.42.0.1"]


def modules_in_text(lines):
    """Read a QR drawn with half blocks back into its dark (x, y) modules: each line holds two rows."""
    dark = set()
    for row, line in enumerate(lines):
        for x, char in enumerate(line):
            if char in " ▄":  # top half not lit
                dark.add((x, 2 * row))
            if char in " ▀":  # bottom half not lit
                dark.add((x, 2 * row + 1))
    return dark


def expected(url, border=2):
    matrix = list(segno.make(url, error="m").matrix_iter(border=border))
    size = len(matrix)
    return {(x, y) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit}, size


def qr_after(lines, heading):
    start = lines.index(heading) + 2
    block = []
    for line in lines[start:]:
        if not line.strip() or not set(line) <= set(" █▀▄"):
            break
        block.append(line)
    return block


def run(cli, monkeypatch, *args, lang="en_GB.UTF-8"):
    monkeypatch.setattr(addresses, "machine_addresses", lambda: VENUE_WIFI)
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = cli.invoke(args=["venue", "addresses", *args])
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.output.splitlines()]


def test_listening_on_every_address_prints_the_wifi_addresses_and_a_live_workshop_qr(app, workshop, monkeypatch):
    workshop.status = "live"
    db.session.commit()
    lines = run(app.test_cli_runner(), monkeypatch, "--host", "0.0.0.0", "--port", "5000")
    assert "http://192.168.8.20:5000" in lines and "http://10.42.0.1:5000" in lines
    assert not any("127.0.0.1" in line or "169.254" in line for line in lines)
    heading = f"Join “{workshop.title}” (code {workshop.join_code}):"
    url = f"http://192.168.8.20:5000/j/{workshop.join_code}"
    assert lines[lines.index(heading) + 1] == url
    # The QR on the screen is the join link's: a phone scans it off the terminal.
    block = qr_after(lines, heading)
    dark, size = expected(url)
    drawn = {(x, y) for x, y in modules_in_text(block) if y < size}
    assert drawn == dark


def test_on_the_laptop_only_it_says_how_to_let_phones_in(app, workshop, monkeypatch):
    lines = run(app.test_cli_runner(), monkeypatch)
    assert "Only this laptop can open it (127.0.0.1)." in lines
    assert "For phones in the room, start it with: make run HOST=0.0.0.0" in lines
    assert not any(workshop.join_code in line for line in lines)


def test_it_speaks_the_terminals_language(app, workshop, monkeypatch):
    lines = run(app.test_cli_runner(), monkeypatch, "--host", "0.0.0.0", lang="bg_BG.UTF-8")
    assert "Телефоните в същата Wi-Fi мрежа отварят:" in lines
    assert terminal_language({"LC_ALL": "pl_PL.UTF-8", "LANG": "bg_BG"}, ("pl", "bg", "en")) == "pl"
    assert terminal_language({"LANG": "de_DE.UTF-8"}, ("pl", "bg", "en")) == "en"
    assert terminal_language({}, ("pl", "bg", "en")) == "en"


def test_a_finished_or_another_days_workshop_gets_no_qr(app, create_workshop, facilitator):
    today = date(2026, 12, 1)
    held_today = create_workshop(title="Today", starts_on=today)
    create_workshop(title="Next week", starts_on=today + timedelta(days=7))
    finished = create_workshop(title="Done", starts_on=today)
    finished.status = "finished"
    db.session.commit()
    assert [w.title for w in workshops_to_join(today)] == [held_today.title]
    with app.test_request_context():
        lines = address_report("0.0.0.0", 80, ["192.168.8.20"], [], lambda w: "/j/x")
        assert lines[1].strip() == "http://192.168.8.20"
        assert "No workshop is live today; each workshop's page links to its join code and QR code." in lines
        assert address_report("0.0.0.0", 5000, ["127.0.0.1"], [], None) == [
            "This laptop is on no network phones could reach: connect it to the venue's Wi-Fi."
        ]
