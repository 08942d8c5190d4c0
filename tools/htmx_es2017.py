"""Write static/vendor/htmx/htmx.es2017.min.js: the vendored htmx with its two ES2020 constructs rewritten.

htmx 2.0.11 uses one optional chain and one `??`; a phone whose browser predates them (Chrome 80,
Safari 13.1: Android 8's stock Chrome, say) throws the whole file away and the pages lose every
swap. Each rewrite means exactly the same, and each must match exactly once, so an htmx update
that moves them stops this script instead of shipping a half-rewritten file:

    python3 tools/htmx_es2017.py           # after tools/vendor_assets.py updated htmx.min.js
    python3 tools/htmx_es2017.py --check   # the committed file is the rewrite of the vendored one
"""

import argparse
import sys
from pathlib import Path

HTMX = Path(__file__).resolve().parents[1] / "static" / "vendor" / "htmx"
SOURCE, TARGET = HTMX / "htmx.min.js", HTMX / "htmx.es2017.min.js"
#: (ES2020, the same in ES2017): in a condition `g&&g.x` is falsy exactly when `g?.x` is.
REWRITES = (
    ("if(g?.swapDelay&&", "if(g&&g.swapDelay&&"),
    ('s.push=s.push??"true"', 's.push=s.push!=null?s.push:"true"'),
)
HEADER = "/* htmx.min.js 2.0.x rewritten for ES2017 by tools/htmx_es2017.py (two constructs; see there). */\n"


def rewritten(source):
    """The ES2017 text of `source`; ValueError when a rewrite does not match exactly once."""
    for old, new in REWRITES:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times in htmx.min.js, not once: look again")
        source = source.replace(old, new)
    return HEADER + source


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = rewritten(SOURCE.read_text(encoding="utf-8"))
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit("htmx.es2017.min.js is not the rewrite of htmx.min.js: run python3 tools/htmx_es2017.py")
        print("htmx.es2017.min.js OK")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
