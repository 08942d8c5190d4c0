"""Read the forms out of a page, as a browser sees them: where they post and which fields they send."""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class Form:
    """One <form>: its action path, method, and each field's name with the value it would send."""

    def __init__(self, action, method):
        self.action, self.method = action, method
        self.fields = []  # (name, value) sent, in page order; a select sends its selected (or first) option
        self.names = set()  # every field's name, sent or not (an unticked box, a submit button)

    def values(self, **overrides):
        """What pressing its first submit button would send, with some fields replaced."""
        sent, seen = {}, set()
        for name, value in self.fields:
            if name in seen:
                continue
            seen.add(name)
            sent[name] = value
        sent.update(overrides)
        return sent


class _FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms, self.current = [], None
        self.select, self.select_value, self.textarea = None, None, None
        #: Buttons and inputs outside any form that post somewhere themselves (formaction, hx-post).
        self.loose = []

    def _action(self, attrs, key="action"):
        return urlsplit(attrs.get(key) or self.page_path).path

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.current = Form(self._action(attrs), (attrs.get("method") or "get").lower())
            if attrs.get("hx-post"):
                self.current.action, self.current.method = self._action(attrs, "hx-post"), "post"
            self.forms.append(self.current)
            return
        for key in ("hx-post", "formaction"):
            if attrs.get(key) and tag in ("button", "input", "a", "div", "select"):
                form = Form(self._action(attrs, key), "post")
                if attrs.get("name"):
                    form.fields.append((attrs["name"], attrs.get("value", "")))
                    form.names.add(attrs["name"])
                self.loose.append(form)
        if self.current is None:
            return
        name = attrs.get("name")
        if name and tag in ("input", "button", "textarea", "select"):
            self.current.names.add(name)
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            self.current.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select, self.select_value = name, None
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select_value is None or "selected" in attrs:
                self.select_value = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea" and self.textarea is not None:
            if self.current is not None:
                self.current.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if self.current is not None:
                self.current.fields.append((self.select, self.select_value or ""))
            self.select = None


def forms_in(html, page_path="/"):
    """Every form of the page, and every button that posts on its own (htmx, formaction)."""
    parser = _FormParser(page_path)
    parser.feed(html)
    parser.close()
    return parser.forms + parser.loose


def form_posting_to(html, path, page_path="/"):
    """The page's form that posts to `path`; fails plainly when the page has none."""
    for form in forms_in(html, page_path):
        if form.method == "post" and form.action == path:
            return form
    raise AssertionError(f"no form posting to {path} on {page_path}")
