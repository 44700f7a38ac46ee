#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04).
# It installs the grader's Python packages into a virtual environment and creates the
# unprivileged user that student code runs as. Settings (environment variables):
#
#   TORCH_INDEX_URL    where CPU-only torch wheels come from
#                      (default https://download.pytorch.org/whl/cpu; PyPI's torch pulls CUDA)
#   SETUP_PYTHON       the interpreter to build the venv from (default python3.11, installed
#                      with apt next to the system python3, which the platform needs untouched;
#                      the pinned numpy needs Python 3.11 or newer)
#   AUTOGRADER_PYTHON  an interpreter that already has the requirements: no venv is built
#                      (our local simulation of the platform sets it)
#   AUTOGRADER_ROOT    the platform's root folder (default /autograder)
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
TORCH_INDEX_URL="${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
SETUP_PYTHON="${SETUP_PYTHON:-python3.11}"
REQUIREMENTS="$ROOT/source/requirements.txt"

if [ -z "${AUTOGRADER_PYTHON:-}" ]; then
    apt-get update
    apt-get install -y --no-install-recommends "$SETUP_PYTHON" "$SETUP_PYTHON-venv"
    "$SETUP_PYTHON" -m venv "$ROOT/venv"
    "$ROOT/venv/bin/pip" install --no-cache-dir --upgrade pip
    # torch first, from the CPU index; then the rest (torch is already satisfied).
    "$ROOT/venv/bin/pip" install --no-cache-dir --index-url "$TORCH_INDEX_URL" \
        "$(grep '^torch==' "$REQUIREMENTS")"
    "$ROOT/venv/bin/pip" install --no-cache-dir -r "$REQUIREMENTS"
    "$ROOT/venv/bin/python" -c "import torch; assert not torch.cuda.is_available(); print('torch', torch.__version__)"
fi

id student >/dev/null 2>&1 || adduser --disabled-password --gecos '' student
