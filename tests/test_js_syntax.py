"""The JavaScript phones run parses as ES2017: what Chrome 58 (Android 8's stock browser) and Safari 11 know.

A phone that meets one newer construct (`?.`, `??`, `{...x}`, `catch {`, class fields, ...) throws
away the whole file, so the page loses all its behaviour, not one feature. esprima parses ES2017
exactly (it refuses `?.`, `??`, optional catch binding, class fields, `for await`, BigInt, numeric
separators); the few ES2018+ forms it accepts are looked for in its syntax tree here. Syntax only:
newer functions (say `Promise.prototype.finally`) need a feature check in the code itself.
"""

import re
import subprocess
import sys
from pathlib import Path

import esprima
import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
OURS = sorted((STATIC / "js").glob("*.js"))
#: Vendored files and the syntax newer than ES2017 each needs (checked, so an update that changes it is noticed).
VENDORED = {
    "htmx/htmx.min.js": "ES2020: one optional chain (`g?.swapDelay`) and one `??` (Chrome 80, Safari 13.1)",
    # What the pages load instead: the same with those two rewritten (tools/htmx_es2017.py).
    "htmx/htmx.es2017.min.js": None,
    "htmx-ext-sse/sse.min.js": None,
    "sortablejs/Sortable.min.js": None,
}
#: Regular expression flags up to ES2017 (`s` is ES2018, `d` ES2022).
REGEX_FLAGS = set("gimuy")
#: Lookbehind and named groups (ES2018; Safari only from 16.4), Unicode property escapes (ES2018).
NEWER_REGEX = re.compile(r"\(\?<[=!a-zA-Z]|\\[pP]\{")


def _newer_regex(regex):
    return bool(set(regex.flags) - REGEX_FLAGS or NEWER_REGEX.search(regex.pattern))


def newer_than_es2017(source):
    """What in `source` an ES2017 browser cannot parse: a list of short descriptions, empty when none."""
    found = []

    def look(node, meta):
        kind = node.type
        if kind == "ObjectExpression" and any(p.type == "SpreadElement" for p in node.properties):
            found.append(f"object spread `{{...x}}` (ES2018) at line {meta.start.line}")
        elif kind == "ObjectPattern" and any(p.type == "RestElement" for p in node.properties):
            found.append(f"object rest `{{...rest}}` (ES2018) at line {meta.start.line}")
        elif kind == "Import":
            found.append(f"dynamic `import()` (ES2020) at line {meta.start.line}")
        elif kind == "Literal" and getattr(node, "regex", None) and _newer_regex(node.regex):
            found.append(
                f"regular expression /{node.regex.pattern}/{node.regex.flags} (ES2018+) at line {meta.start.line}"
            )

    try:
        esprima.parseScript(source, delegate=look)
    except esprima.Error as error:
        return [f"not ES2017: {error}"]
    return found


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_our_scripts_use_nothing_an_android_8_or_ios_14_phone_lacks(path):
    assert newer_than_es2017(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", sorted(VENDORED))
def test_the_vendored_scripts_need_what_the_readme_says(name):
    needs = newer_than_es2017((STATIC / "vendor" / name).read_text(encoding="utf-8"))
    if VENDORED[name] is None:
        assert needs == []
    else:
        assert needs, f"{name} parses as ES2017 now: update VENDORED and the README's browser list"


@pytest.mark.parametrize(
    "source",
    [
        "var a = b?.c;",
        "var a = b ?? c;",
        "a ??= b;",
        "var a = {...b};",
        "var {a, ...rest} = b;",
        "try { a(); } catch { b(); }",
        "class A { x = 1; }",
        "var r = /a.b/s;",
        "var r = /(?<=a)b/;",
        "import('./x.js');",
        "var n = 1_000;",
    ],
)
def test_the_check_catches_each_newer_construct(source):
    assert newer_than_es2017(source) != []


def test_the_check_lets_es2017_through():
    source = "async function f(a, b,) { const {x, y} = await g(...a); return `${x}` + y ** 2; }"
    assert newer_than_es2017(source) == []


def test_the_pages_load_the_es2017_htmx_which_is_the_vendored_one_rewritten():
    tool = STATIC.parent / "tools" / "htmx_es2017.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for template in ("base.html", "presenter/show.html"):
        page = (STATIC.parent / "templates" / template).read_text(encoding="utf-8")
        assert "vendor/htmx/htmx.es2017.min.js" in page and "vendor/htmx/htmx.min.js" not in page, template
