"""The report's introduction form; labels and messages are lazy so they follow each request's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from ..core.domain import messages
from .services import MAX_INTRO

TOO_LONG = _l("The introduction is too long: at most %(max)d characters. Shorten it and save again.")

#: What each refused report change tells the user.
messages.register({"intro-too-long": TOO_LONG})


def _unix_lines(value):
    """Browsers send line breaks as CR LF; count and keep them as one character each."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class ReportIntroForm(FlaskForm):
    """The organiser's own introduction, printed above what the app writes."""

    intro = TextAreaField(
        _l("Text of the introduction"),
        filters=[_unix_lines],
        validators=[Length(max=MAX_INTRO, message=TOO_LONG)],
        render_kw={"rows": 10},
    )
