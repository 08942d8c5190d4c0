"""Build hook: a wheel carries the folders that sit beside the package in a checkout.

templates/, static/, translations/ and migrations/ stay at the top of the repository; a wheel gets
copies under facilitator/_data/, with the catalogs compiled, and facilitator.config finds them there.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA_FOLDERS = ("templates", "static", "translations", "migrations")


class BuildPyWithData(build_py):
    """build_py, then the data folders; an editable install reads the checkout's own folders."""

    def run(self):
        super().run()
        if not self.editable_mode:
            copy_data(Path(self.build_lib) / "facilitator" / "_data")


def copy_data(target):
    """Copy the data folders to target and compile each catalog as `pybabel compile` would."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    shutil.rmtree(target, ignore_errors=True)
    for name in DATA_FOLDERS:
        shutil.copytree(HERE / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    for po_path in sorted((target / "translations").glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        if catalog.fuzzy:  # pybabel compile skips a catalog marked fuzzy; so do we
            continue
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildPyWithData})
