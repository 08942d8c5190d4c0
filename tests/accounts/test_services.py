"""Account services, called directly."""

import pytest
from werkzeug.security import check_password_hash

from facilitator.accounts import services
from facilitator.accounts.models import Facilitator
from facilitator.core.domain import DomainError
from facilitator.extensions import db


def test_sign_up_stores_a_hash_not_the_password(app):
    facilitator = services.sign_up(" Ana@Example.org ", " Ana Nowak ", "correct horse")
    stored = db.session.get(Facilitator, facilitator.id)
    assert stored.email == "ana@example.org"
    assert stored.display_name == "Ana Nowak"
    assert "correct horse" not in stored.password_hash
    assert check_password_hash(stored.password_hash, "correct horse")


def test_sign_up_refuses_a_second_account_for_the_same_email(app):
    services.sign_up("ana@example.org", "Ana", "correct horse")
    with pytest.raises(DomainError) as refused:
        services.sign_up("ANA@example.org", "Other Ana", "another password")
    assert refused.value.code == "duplicate-email"
    assert refused.value.field == "email"
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 1


def test_sign_up_refuses_a_short_password(app):
    with pytest.raises(DomainError) as refused:
        services.sign_up("ana@example.org", "Ana", "short")
    assert refused.value.code == "short-password"


def test_authenticate_refuses_an_unknown_email_and_a_wrong_password_alike(app, facilitator):
    assert services.authenticate("ANA@example.org", "correct horse") == facilitator
    with pytest.raises(DomainError) as unknown:
        services.authenticate("nobody@example.org", "correct horse")
    with pytest.raises(DomainError) as wrong:
        services.authenticate("ana@example.org", "wrong horse")
    assert (unknown.value.code, unknown.value.field) == (wrong.value.code, wrong.value.field)


def test_an_unknown_email_costs_a_password_check_as_a_known_one_does(app, facilitator, monkeypatch):
    """Otherwise the answer's speed would tell which emails have accounts."""
    checked = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: checked.append(args[0]) or real(*args))
    for email in ("nobody@example.org", "ana@example.org"):
        with pytest.raises(DomainError):
            services.authenticate(email, "wrong horse")
    assert len(checked) == 2
    # The stand-in hash is made the same way as real ones, so it takes as long to check.
    assert checked[0].split("$")[0] == checked[1].split("$")[0]


def test_change_password_needs_the_current_one(app, facilitator):
    with pytest.raises(DomainError) as refused:
        services.change_password(facilitator, "not it", "brand new password")
    assert refused.value.field == "current_password"
    services.change_password(facilitator, "correct horse", "brand new password")
    assert services.authenticate("ana@example.org", "brand new password") == facilitator
    with pytest.raises(DomainError):
        services.authenticate("ana@example.org", "correct horse")


def test_demo_facilitator_is_created_once(app):
    first, created = services.ensure_demo_facilitator("demo@facilitator.local", "demo-workshop", "Demo")
    again, created_again = services.ensure_demo_facilitator("demo@facilitator.local", "other", "Demo")
    assert created and not created_again
    assert first.id == again.id
    # A second load never resets a password someone changed.
    assert services.authenticate("demo@facilitator.local", "demo-workshop") == first


def test_remember_locale(app, facilitator):
    services.remember_locale(facilitator, "bg")
    assert db.session.get(Facilitator, facilitator.id).locale == "bg"
