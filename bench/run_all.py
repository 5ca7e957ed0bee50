"""`make bench`: run every benchmark and print one table of figures and ratios.

Each bench script prints a JSON summary as its last line; this collects them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["lesson_page.py", "quiz_rush.py", "packs.py", "scale.py"]


def run(script: str) -> dict:
    path = HERE / script
    if not path.exists():
        return {"bench": script, "error": "missing"}
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=False)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr[-2000:])
    for line in reversed(proc.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"bench": script, "error": f"exit {proc.returncode}"}


def main() -> None:
    results = [run(s) for s in SCRIPTS]
    print("\n| benchmark | figure | value | compared with | ratio | goal |")
    print("|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            print(f"| {r['bench']} | error | {r['error']} | | | |")
            continue
        for row in r.get("rows", []):
            print(
                "| "
                + " | ".join(
                    str(row.get(k, ""))
                    for k in ("bench", "figure", "value", "versus", "ratio", "goal")
                )
                + " |"
            )


if __name__ == "__main__":
    main()
