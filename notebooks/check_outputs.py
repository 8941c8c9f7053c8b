"""Fail when an executed notebook shows a failed cell.

GoNB reports a Go cell that panics or exits with a non-zero status only as
output ("panic: ...", "exit status 2"), not as a Jupyter error, so
nbconvert --execute alone would pass it. This reads the executed copy and
exits 1 naming each failed cell. Used by notebooks/run.sh (make notebooks).
"""
import json
import re
import sys

FAILED = re.compile(r"^(panic: |exit status [1-9]|fatal error: |ERROR: )", re.M)

failed = 0
for path in sys.argv[1:]:
    with open(path) as f:
        nb = json.load(f)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            text = ""
            if out["output_type"] == "error":
                text = out.get("ename", "") + ": " + out.get("evalue", "")
            elif out["output_type"] == "stream":
                text = "".join(out["text"])
            if out["output_type"] == "error" or FAILED.search(text):
                failed += 1
                print(f"{path}: cell {i + 1} failed:\n{text.strip()[:2000]}\n", file=sys.stderr)
                break
sys.exit(1 if failed else 0)
