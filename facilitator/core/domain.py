"""One refusal type for every area's services, and one registry that words its codes.

Services raise `DomainError("title-too-long", "title", max=200)`; they never word a message.
Each area registers what its codes say (lazy texts, so they follow the reader's language) and
views turn a refusal into that text with `message_for`, next to the field it names.
"""

from flask import abort
from flask_babel import lazy_gettext as _l

from ..extensions import db

#: What a refusal says when its code has no text of its own (a request no form of ours sends).
NOT_SAVED = _l("That could not be saved.")


class DomainError(Exception):
    """A refused operation: `code` picks the message, `field` the form field it belongs to, `params` fill it."""

    def __init__(self, code, field=None, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def _msgid(text):
    """The untranslated text of a lazy string (what two registrations are compared by)."""
    return getattr(text, "_args", (text,))[0]


class Messages:
    """Codes to lazy texts, for all areas at once: one code means one thing everywhere."""

    def __init__(self):
        self._texts = {}

    def register(self, texts):
        """Add an area's codes; a code already worded differently by another area is a mistake."""
        for code, text in texts.items():
            known = self._texts.get(code)
            if known is not None and _msgid(known) != _msgid(text):
                raise ValueError(f"refusal code {code!r} already means {_msgid(known)!r}")
            self._texts[code] = text
        return texts

    def __contains__(self, code):
        return code in self._texts

    def message_for(self, code, **params):
        """The refusal's text in the reader's language, its %(name)s filled from `params`."""
        text = str(self._texts.get(code, NOT_SAVED))
        return text % params if params else text


messages = Messages()
message_for = messages.message_for


def show_on(form, error):
    """Put a refusal next to the field it names, or on top of the form."""
    message = message_for(error.code, **error.params)
    if error.field and hasattr(form, error.field):
        getattr(form, error.field).errors.append(message)
    else:
        form.form_errors.append(message)


def owned_row(model, row_id, **owner):
    """The row; None if it no longer exists (deleted meanwhile); 404 if it belongs to another owner."""
    row = db.session.get(model, row_id)
    if row is None:
        return None
    if any(getattr(row, name) != value for name, value in owner.items()):
        abort(404)
    return row
