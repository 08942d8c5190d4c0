"""Every control's accessible name contains the words it shows (WCAG 2.5.3, axe label-content-name-mismatch).

Voice-control users say what they see ("press Edit"); a button shown as "Редактирай" but named
"Редактиране на …" cannot be pressed that way. Every page a facilitator or a member opens is
checked in each language, with the scene's full workshop, so every row and button is drawn.
"""

from html.parser import HTMLParser

import pytest

from .role_table import ROLE_TABLE
from .routes import ROUTES
from .scene import MEMBER, OWNER
from .test_authorization_matrix import url_for_rule

CONTROLS = {"a", "button", "summary"}


class Controls(HTMLParser):
    """(visible text, aria-label) of every link and button that has an aria-label.

    Text inside an `aria-hidden` part (an arrow, an icon) is not part of the name, so it is left out.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.open, self.hidden = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in CONTROLS:
            self.open.append((tag, attrs.get("aria-label"), []))
        self.hidden.append(attrs.get("aria-hidden") == "true" or bool(self.hidden and self.hidden[-1]))

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden.pop()
        if tag in CONTROLS and self.open and self.open[-1][0] == tag:
            _tag, label, text = self.open.pop()
            if label is not None:
                self.found.append((" ".join("".join(text).split()), label))

    def handle_data(self, data):
        if self.open and not (self.hidden and self.hidden[-1]):
            self.open[-1][2].append(data)


def mismatches(html):
    parser = Controls()
    parser.feed(html)
    return [
        (text, label)
        for text, label in parser.found
        if text and text.casefold() not in " ".join(label.split()).casefold()
    ]


def pages_for(role):
    for endpoint, method, rule in ROUTES:
        entry = ROLE_TABLE[endpoint]
        if method == "GET" and role in entry.who and not entry.stream and not rule.endswith((".pdf", ".csv", ".xlsx")):
            yield endpoint, rule, entry


@pytest.mark.parametrize("locale", ["pl", "bg", "en"])
def test_every_control_is_named_with_the_words_it_shows(app, scene, locale):
    problems = []
    for role in (OWNER, MEMBER):
        visitor = scene.visitor(role)
        visitor.client.post("/language", data={"lang": locale, "csrf_token": visitor.token})
        for endpoint, rule, entry in pages_for(role):
            response = visitor.client.get(url_for_rule(rule, scene, entry), query_string=entry.query)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            for text, label in mismatches(response.get_data(as_text=True)):
                problems.append(f"{endpoint}: shows {text!r}, named {label!r}")
    assert not problems, "\n".join(sorted(set(problems)))
