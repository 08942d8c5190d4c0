"""The wheel carries templates, static files, translations and migrations, and serves pages once installed."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "facilitator",
    "templates",
    "static",
    "translations",
    "migrations",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
)
DATA = ("templates", "static", "migrations")

#: Run from an empty folder with only the unpacked wheel and the venv's site-packages to import from.
SERVE = """
import sys
from pathlib import Path

import facilitator
from facilitator import create_app
from facilitator.config import TestingConfig
from flask_migrate import upgrade

site, checkout = Path(sys.argv[1]), Path(sys.argv[2])
assert Path(facilitator.__file__).is_relative_to(site), facilitator.__file__
assert checkout not in [Path(entry).resolve() for entry in sys.path], sys.path
app = create_app(TestingConfig)
with app.app_context():
    upgrade()
client = app.test_client()
page = client.get("/", headers={"Accept-Language": "pl"})
script = client.get("/static/vendor/htmx/htmx.min.js")
print(page.status_code, script.status_code)
print(page.get_data(as_text=True))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build from a copy, so the checkout gets no build/ or egg-info, and without .mo files, so the build compiles them."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, (
        "pip wheel failed (make installs setuptools>=77 from requirements-test.lock):\n" + built.stderr
    )
    (path,) = out.glob("facilitator-*.whl")
    return path


def checkout_files(folder):
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_wheel_holds_templates_static_files_migrations_and_compiled_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {name.removeprefix("facilitator/_data/") for name in names if name.startswith("facilitator/_data/")}
    for folder in DATA:
        assert checkout_files(folder) <= data, folder
    assert "static/vendor/htmx/htmx.min.js" in data
    assert "migrations/alembic.ini" in data
    for language in ("pl", "bg", "en"):
        assert f"translations/{language}/LC_MESSAGES/messages.po" in data
        assert f"translations/{language}/LC_MESSAGES/messages.mo" in data
    assert "facilitator/__init__.py" in names
    assert not any(name.startswith(("tests/", "templates/", "static/")) for name in names)


def test_installed_wheel_migrates_and_serves_the_polish_home_page(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FACILITATOR_", "PYTHON"))}
    env.update(PYTHONPATH=str(site), FACILITATOR_INSTANCE_PATH=str(tmp_path / "instance"))
    served = subprocess.run(
        [sys.executable, "-c", SERVE, str(site), str(ROOT)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 0, served.stderr
    statuses, page = served.stdout.split("\n", 1)
    assert statuses == "200 200"
    assert '<html lang="pl">' in page
    assert "Dołącz do warsztatu" in page
