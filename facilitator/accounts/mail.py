"""Account mail (the password-reset link), sent with the standard library's smtplib."""

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

logger = logging.getLogger(__name__)

#: Seconds to wait for the mail server before giving up on one message.
MAIL_TIMEOUT = 30
_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS")


def mail_configured():
    """Whether this installation can send mail (FACILITATOR_MAIL_SERVER is set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _sender(config):
    return config.get("MAIL_SENDER") or config.get("MAIL_USERNAME") or "facilitator@localhost"


def send_password_reset(facilitator, link, locale):
    """Mail a reset link in the language the facilitator asked for it in."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(locale):
        subject = _("Set a new password for Facilitator")
        # Plain text, built here rather than in a template so the catalogs pick every line up.
        body = (
            "\n\n".join(
                [
                    _("Hello %(name)s,", name=facilitator.display_name),
                    _(
                        "Someone, probably you, asked to set a new password for your Facilitator account. "
                        "Open this link to choose it:"
                    ),
                    link,
                    ngettext(
                        "The link works once, for %(num)d minute.", "The link works once, for %(num)d minutes.", minutes
                    )
                    + " "
                    + _("Setting the new password signs you out on every device."),
                    _("If you did not ask for this, ignore this message: your password stays as it is."),
                ]
            )
            + "\n"
        )
    send_mail(facilitator.email, subject, body, locale)


def send_mail(to, subject, body, locale):
    """Hand one plain-text message to the mail server in the background.

    The answer to the request never waits for the mail server, so a slow server holds nobody up and
    the time taken does not tell whether an account exists. Under gevent the thread is a greenlet.
    """
    config = current_app.config
    sender = _sender(config)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    # An explicit domain: make_msgid would otherwise look up this machine's name.
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    message["Content-Language"] = locale  # after set_content, which replaces every Content-* header
    settings = {name: config.get(name) for name in _SETTINGS}
    threading.Thread(target=deliver, args=(settings, message), name="facilitator-mail", daemon=True).start()


def deliver(settings, message):
    """Send one message now; failures are logged, since nobody is waiting for an answer."""
    port = int(settings["MAIL_PORT"])
    try:
        if port == 465:  # the implicit-TLS port
            smtp = smtplib.SMTP_SSL(
                settings["MAIL_SERVER"], port, timeout=MAIL_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings["MAIL_SERVER"], port, timeout=MAIL_TIMEOUT)
        with smtp:
            if settings["MAIL_USE_TLS"] and port != 465:
                smtp.starttls(context=ssl.create_default_context())
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send mail to %s through %s:%s", message["To"], settings["MAIL_SERVER"], port)
