"""Vendor third-party front-end JavaScript into static/vendor/.

Facilitator serves every script it uses from its own origin: pages never load
anything from a CDN at run time. That keeps the Content-Security-Policy strict
(script-src 'self'), lets the app work offline or behind a firewall, and means
the exact bytes we ship are reviewed and committed with the code.

This script fetches each pinned package from the npm registry with `npm pack`,
checks the tarball against the registry's published sha512 integrity, copies
the few files we need (plus licences) and records their sha256 in
static/vendor/MANIFEST.json.

    python tools/vendor_assets.py           # (re)fetch pinned packages
    python tools/vendor_assets.py --check   # verify files on disk, no network

To upgrade a package, change its version below and run the script again.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# name, exact version, {path inside the package tarball: path under static/vendor}
PACKAGES: list[tuple[str, str, dict[str, str]]] = [
    (
        "htmx.org",
        "2.0.11",
        {
            "dist/htmx.min.js": "htmx/htmx.min.js",
            "LICENSE": "htmx/LICENSE",
        },
    ),
    (
        "htmx-ext-sse",
        "2.2.4",
        {
            "dist/sse.min.js": "htmx-ext-sse/sse.min.js",
            "LICENSE": "htmx-ext-sse/LICENSE",
        },
    ),
    # Drag-to-reorder on the agenda; the keyboard buttons do the same without it.
    (
        "sortablejs",
        "1.15.7",
        {
            "Sortable.min.js": "sortablejs/Sortable.min.js",
            "LICENSE": "sortablejs/LICENSE",
        },
    ),
    # Only loaded by the browser (accessibility) tests, never by app pages.
    (
        "axe-core",
        "4.14.1",
        {
            "axe.min.js": "axe-core/axe.min.js",
            "LICENSE": "axe-core/LICENSE",
            "LICENSE-3RD-PARTY.txt": "axe-core/LICENSE-3RD-PARTY.txt",
        },
    ),
]

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = REPO_ROOT / "static" / "vendor"
MANIFEST = "MANIFEST.json"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm(*args: str, cwd: Path) -> str:
    exe = shutil.which("npm")
    if exe is None:
        sys.exit("error: npm not found on PATH")
    result = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"error: npm {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def fetch_package(name: str, version: str, files: dict[str, str], root: Path, workdir: Path) -> dict:
    spec = f"{name}@{version}"
    integrity = json.loads(npm("view", spec, "dist.integrity", "--json", cwd=workdir))
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        sys.exit(f"error: registry gave no sha512 integrity for {spec}: {integrity!r}")

    packed = json.loads(npm("pack", spec, "--json", cwd=workdir))
    tarball = workdir / packed[0]["filename"]
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != integrity:
        sys.exit(f"error: {tarball.name} does not match the registry integrity {integrity}")

    entries = []
    with tarfile.open(tarball, "r:gz") as tar:
        for src, dest in files.items():
            try:
                member = tar.getmember(f"package/{src}")
            except KeyError:
                sys.exit(f"error: {spec} has no file {src}")
            if not member.isfile():
                sys.exit(f"error: {spec}: {src} is not a regular file")
            target = root / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
            entries.append({"path": dest, "source": src, "sha256": sha256_of(target)})
            print(f"  {spec}: {src} -> {target.relative_to(root)}")
    return {"name": name, "version": version, "integrity": integrity, "files": entries}


def vendor(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        packages = [fetch_package(name, version, files, root, Path(tmp)) for name, version, files in PACKAGES]
    manifest = {"generated_by": "tools/vendor_assets.py", "packages": packages}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {root / MANIFEST}")


def check(root: Path) -> int:
    """Compare files on disk with MANIFEST.json; return the number of problems."""
    try:
        manifest = json.loads((root / MANIFEST).read_text())
    except FileNotFoundError:
        print(f"vendor check FAILED: {root / MANIFEST} is missing; run python tools/vendor_assets.py", file=sys.stderr)
        return 1

    problems = []
    pinned = {name: version for name, version, _ in PACKAGES}
    recorded = {p["name"]: p["version"] for p in manifest["packages"]}
    if recorded != pinned:
        problems.append(f"manifest lists {recorded} but the script pins {pinned}; re-run python tools/vendor_assets.py")
    for package in manifest["packages"]:
        for entry in package["files"]:
            path = root / entry["path"]
            if not path.is_file():
                problems.append(f"missing file: {path}")
            elif sha256_of(path) != entry["sha256"]:
                problems.append(f"sha256 mismatch: {path} (expected {entry['sha256']}, got {sha256_of(path)})")

    for problem in problems:
        print(f"vendor check FAILED: {problem}", file=sys.stderr)
    if not problems:
        count = sum(len(p["files"]) for p in manifest["packages"])
        print(f"vendor check OK: {count} files match {root / MANIFEST}")
    return len(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only verify files on disk against MANIFEST.json (no network)"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help=f"vendor directory (default: {DEFAULT_ROOT.relative_to(REPO_ROOT)})",
    )
    args = parser.parse_args(argv)
    if args.check:
        return 1 if check(args.root) else 0
    vendor(args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
