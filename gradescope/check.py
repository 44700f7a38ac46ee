"""Run Gradescope's visible tests of @ASSIGNMENT@ on your files, with the same feedback.

    python check.py                      # the graded files in this folder
    python check.py path/to/upload.zip   # exactly what you are about to upload
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "selfcheck"))

from autograder.delivery.selfcheck import main  # noqa: E402

if __name__ == "__main__":
    # by default everything here but the self-check's own copies of the handed-out files
    here = [p for p in sorted(HERE.iterdir()) if p.name != "selfcheck"]
    sys.exit(main("@ASSIGNMENT@", [Path(p) for p in sys.argv[1:]] or here))
