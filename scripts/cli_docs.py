"""Write docs/cli.md, the command reference, from the commands themselves.

python scripts/cli_docs.py          # rewrite the page
python scripts/cli_docs.py --check  # exit 1 if the page is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from incidentdb.cli.reference import render

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if PAGE.read_text() != text:
            print(f"{PAGE} is stale: run python scripts/cli_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text)
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
