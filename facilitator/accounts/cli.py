"""`flask --app wsgi accounts reset-password EMAIL`: for whoever runs the laptop when no mail can be sent."""

import click
from flask.cli import AppGroup

from ..core.domain import DomainError
from . import services

accounts = AppGroup("accounts", help="Facilitator accounts.")


@accounts.command("reset-password")
@click.argument("email")
@click.option("--password", help="The new password (for scripts); without it you are asked twice.")
def reset_password(email, password):
    """Give the account EMAIL a new password and sign it out on every device."""
    facilitator = services.find_facilitator(email)
    if facilitator is None:
        raise click.ClickException(f"No facilitator account uses {services.normalise_email(email)}.")
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        services.set_password(facilitator, password)
    except DomainError as error:
        if error.code == "short-password":
            raise click.ClickException(
                f"The password needs at least {services.MIN_PASSWORD_LENGTH} characters."
            ) from None
        raise
    click.echo(f"New password set for {facilitator.email}; every session of the account is signed out.")
