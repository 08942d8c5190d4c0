"""The page's one form: how many phones to check with."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from .check import MAX_PHONES, MIN_PHONES


class CheckForm(FlaskForm):
    phones = IntegerField(
        _l("Number of phones"),
        default=60,
        validators=[
            InputRequired(message=_l("Please give a number of phones.")),
            NumberRange(
                MIN_PHONES,
                MAX_PHONES,
                message=_l("The number of phones must be between %(min)s and %(max)s."),
            ),
        ],
        render_kw={"min": MIN_PHONES, "max": MAX_PHONES, "inputmode": "numeric"},
    )
