"""Vendored front-end assets match static/vendor/MANIFEST.json (no network)."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
VENDOR = REPO_ROOT / "static" / "vendor"
SCRIPT = REPO_ROOT / "tools" / "vendor_assets.py"


def load_manifest():
    return json.loads((VENDOR / "MANIFEST.json").read_text())


def package(name):
    matches = [p for p in load_manifest()["packages"] if p["name"] == name]
    assert len(matches) == 1, f"{name} should appear exactly once in MANIFEST.json"
    return matches[0]


def vendored_text(name, suffix):
    (entry,) = [f for f in package(name)["files"] if f["path"].endswith(suffix)]
    return (VENDOR / entry["path"]).read_text(encoding="utf-8")


def run_check(root=None):
    args = [sys.executable, str(SCRIPT), "--check"]
    if root is not None:
        args += ["--root", str(root)]
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


ENTRIES = [(p["name"], f) for p in load_manifest()["packages"] for f in p["files"]]


@pytest.mark.parametrize("name,entry", ENTRIES, ids=[f["path"] for _, f in ENTRIES])
def test_manifest_file_exists_with_recorded_sha256(name, entry):
    path = VENDOR / entry["path"]
    assert path.is_file(), f"{name}: {entry['path']} is missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_every_package_has_registry_integrity_and_a_license():
    for p in load_manifest()["packages"]:
        assert p["integrity"].startswith("sha512-"), p["name"]
        assert any(Path(f["path"]).name.startswith("LICENSE") for f in p["files"]), p["name"]


def test_htmx_is_2_0_x():
    version = package("htmx.org")["version"]
    assert re.fullmatch(r"2\.0\.\d+", version)
    assert f'version:"{version}"' in vendored_text("htmx.org", "htmx.min.js")


def test_htmx_ext_sse_is_2_2_x():
    assert re.fullmatch(r"2\.2\.\d+", package("htmx-ext-sse")["version"])
    # sse.min.js carries no version string; confirm it is the sse extension.
    assert 'defineExtension("sse"' in vendored_text("htmx-ext-sse", ".js")


def test_axe_core_is_4_x():
    version = package("axe-core")["version"]
    assert re.fullmatch(r"4\.\d+\.\d+", version)
    assert f"axe v{version}" in vendored_text("axe-core", "axe.min.js")[:200]


def test_check_passes_on_real_tree():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "vendor check OK" in result.stdout


def test_check_passes_on_untouched_copy(tmp_path):
    root = tmp_path / "vendor"
    shutil.copytree(VENDOR, root)
    result = run_check(root)
    assert result.returncode == 0, result.stderr


def test_check_fails_on_tampered_file(tmp_path):
    root = tmp_path / "vendor"
    shutil.copytree(VENDOR, root)
    target = root / "htmx" / "htmx.min.js"
    target.write_bytes(target.read_bytes() + b"\nalert(1)\n")
    result = run_check(root)
    assert result.returncode != 0
    assert "sha256 mismatch" in result.stderr
    assert "htmx.min.js" in result.stderr


def test_check_fails_on_missing_file(tmp_path):
    root = tmp_path / "vendor"
    shutil.copytree(VENDOR, root)
    (root / "htmx-ext-sse" / "sse.min.js").unlink()
    result = run_check(root)
    assert result.returncode != 0
    assert "missing file" in result.stderr


def test_check_fails_without_manifest(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode != 0
    assert "MANIFEST.json" in result.stderr
