import pytest
from flask_babel import force_locale


@pytest.fixture(autouse=True)
def _in_english(app):
    """The check's words need a request's language, as the CLI gives them one; English unless a test says."""
    with app.test_request_context(), force_locale("en"):
        yield
