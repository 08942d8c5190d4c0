"""Account forms; labels and messages are lazy so they follow each request's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.domain import messages
from .services import MIN_PASSWORD_LENGTH

MAX_EMAIL = 254
MAX_NAME = 120
MAX_PASSWORD = 200

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("This is too long: at most %(max)d characters.")
BAD_EMAIL = _l("This does not look like an email address, e.g. ana@example.org.")
SHORT_PASSWORD = _l("The password needs at least %(min)d characters.")
MISMATCH = _l("The two passwords are not the same.")


def _typed(field_class, label, max_length, autocomplete, *checks):
    """A required field with the browser's autocomplete hint and its length cap."""
    return field_class(
        label,
        validators=[DataRequired(message=REQUIRED), *checks],
        render_kw={"autocomplete": autocomplete, "maxlength": max_length},
    )


def _email_field(label):
    too_long = Length(max=MAX_EMAIL, message=TOO_LONG)
    return _typed(EmailField, label, MAX_EMAIL, "email", too_long, Email(message=BAD_EMAIL, check_deliverability=False))


def _new_password_field(label):
    too_short = Length(min=MIN_PASSWORD_LENGTH, message=SHORT_PASSWORD)
    return _typed(
        PasswordField, label, MAX_PASSWORD, "new-password", too_short, Length(max=MAX_PASSWORD, message=TOO_LONG)
    )


def _password_field(label):
    """The current password, typed to prove who is asking."""
    return _typed(PasswordField, label, MAX_PASSWORD, "current-password", Length(max=MAX_PASSWORD, message=TOO_LONG))


def _repeated(field_name, label):
    """The new password typed again, to catch a typo."""
    return _typed(PasswordField, label, MAX_PASSWORD, "new-password", EqualTo(field_name, message=MISMATCH))


class SignUpForm(FlaskForm):
    display_name = _typed(StringField, _l("Your name"), MAX_NAME, "name", Length(max=MAX_NAME, message=TOO_LONG))
    email = _email_field(_l("Email"))
    password = _new_password_field(_l("Password"))
    confirm = _repeated("password", _l("Repeat the password"))


class SignInForm(FlaskForm):
    email = _email_field(_l("Email"))
    password = _password_field(_l("Password"))
    remember = BooleanField(_l("Keep me signed in on this device"))


class ChangePasswordForm(FlaskForm):
    current_password = _password_field(_l("Current password"))
    new_password = _new_password_field(_l("New password"))
    confirm = _repeated("new_password", _l("Repeat the new password"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field(_l("Email"))


class ResetPasswordForm(FlaskForm):
    new_password = _new_password_field(_l("New password"))
    confirm = _repeated("new_password", _l("Repeat the new password"))


#: What each refused account operation tells the user, next to the field it concerns.
messages.register(
    {
        "duplicate-email": _l("An account with this email already exists. Sign in instead?"),
        "short-password": SHORT_PASSWORD,
        # One answer for an unknown email and a wrong password, so nobody learns which emails have accounts.
        "bad-credentials": _l("The email or password is wrong. Check both and try again."),
        "wrong-password": _l("The password is wrong. Check it and try again."),
    }
)
