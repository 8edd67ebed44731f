"""Fail when a `ui/*.ui` file and its generated `sro_desktop/gui/forms/ui_*.py` disagree.

Regenerate with: pyside6-uic ui/NAME.ui -o sro_desktop/gui/forms/ui_NAME.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UIC = Path(sys.executable).with_name("pyside6-uic")


def main() -> int:
    stale = []
    forms = sorted((ROOT / "ui").glob("*.ui"))
    for form in forms:
        generated = ROOT / "sro_desktop" / "gui" / "forms" / f"ui_{form.stem}.py"
        fresh = subprocess.run(
            [str(UIC), str(form)], capture_output=True, text=True, check=True
        ).stdout
        if not generated.exists() or generated.read_text(encoding="utf-8") != fresh:
            stale.append(f"{generated.relative_to(ROOT)} (from {form.relative_to(ROOT)})")
    for name in stale:
        print(f"stale generated form: {name}", file=sys.stderr)
    print(f"{len(forms)} form(s) checked, {len(stale)} stale")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
