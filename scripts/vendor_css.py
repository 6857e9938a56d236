"""Make the precompiled GOV.UK Frontend and MoJ Frontend stylesheets fit a service outside gov.uk.

Run by the Makefile's asset step on the copies in src/safeguard/web/static/vendor, in place:

- GDS Transport is licensed for GOV.UK only, so its files are not shipped (the Makefile does not copy them).
  The precompiled CSS cannot take GOV.UK Frontend's Sass settings for another font ($govuk-font-family,
  $govuk-include-default-font-face: false); this does what they would: it drops the @font-face rules and takes
  "GDS Transport" out of every font stack, so that pages use Arial and the browser requests no font at all,
  rather than a font file that is not there.
- The precompiled CSS asks for its images at the site root (/assets/...). They are served beside the CSS under
  the static URL, so each such URL is made relative to the stylesheet (assets/...).

Running it again changes nothing. It exits non-zero when a stylesheet still names the font or the root path.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "src" / "safeguard" / "web" / "static" / "vendor"
STYLESHEETS = (VENDOR / "govuk" / "govuk-frontend.min.css", VENDOR / "moj" / "moj-frontend.min.css")
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*GDS Transport[^}]*\}")
FONT_IN_STACK = re.compile(r"""["']?GDS Transport["']?\s*,\s*""")
ROOT_ASSETS = re.compile(r"""url\((["']?)/assets/""")


def fit(css: str) -> str:
    css = FONT_FACE.sub("", css)
    css = FONT_IN_STACK.sub("", css)
    return ROOT_ASSETS.sub(r"url(\1assets/", css)


def problems(css: str) -> list[str]:
    found = []
    if "GDS Transport" in css:
        found.append("still names GDS Transport")
    if ROOT_ASSETS.search(css):
        found.append("still asks for /assets/ at the site root")
    return found


def main(paths: list[Path]) -> int:
    failed = False
    for path in paths:
        css = fit(path.read_text(encoding="utf-8"))
        path.write_text(css, encoding="utf-8")
        for problem in problems(css):
            print(f"{path}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]] or list(STYLESHEETS)))
