#!/usr/bin/env bash
# Gradescope runs this once, as root and with network, when it builds the autograder's image
# (Ubuntu 22.04). It installs the grader's Python packages into a virtual environment built
# from the image's own python3 (CPython 3.10, which the platform's harness also uses: it is
# left untouched; apt's python3.11 on 22.04 is a release candidate that breaks torch), and
# creates the unprivileged user that student code runs as. Settings (environment variables):
#
#   TORCH_INDEX_URL    where CPU-only torch wheels come from
#                      (default https://download.pytorch.org/whl/cpu; PyPI's torch pulls CUDA)
#   AUTOGRADER_PYTHON  an interpreter that already has the requirements: no venv is built
#                      (our local simulation of the platform sets it)
#   AUTOGRADER_ROOT    the platform's root folder (default /autograder)
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
TORCH_INDEX_URL="${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
REQUIREMENTS="$ROOT/source/requirements.txt"  # gradescope/requirements.txt: pinned for 3.10
SYSTEM_PYTHON=/usr/bin/python3
# RLIMIT_NPROC (which the sandbox sets for student code) counts every process of a uid on
# the whole host, other containers included. adduser gives the first user uid 1000 in most
# images, and nobody is 65534 everywhere, so student code running as either would share its
# process budget with strangers. This uid is above 65535 (adduser and useradd never hand
# those out by default), below 100000 (where /etc/subuid ranges for remapped containers
# start) and not a round number. Concurrent submissions of this autograder on one host
# still share it.
STUDENT_UID=71429

if [ -z "${AUTOGRADER_PYTHON:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3-venv libseccomp2  # pyseccomp loads it
    if ! "$SYSTEM_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        echo "setup.sh: $("$SYSTEM_PYTHON" -V) is older than the 3.10 that" \
             "$REQUIREMENTS is pinned for: choose the Ubuntu 22.04 base image" >&2
        exit 1
    fi
    "$SYSTEM_PYTHON" -m venv "$ROOT/venv"
    "$ROOT/venv/bin/pip" install --no-cache-dir --upgrade pip
    # torch first, from the CPU index; then the rest (torch is already satisfied).
    "$ROOT/venv/bin/pip" install --no-cache-dir --index-url "$TORCH_INDEX_URL" \
        "$(grep '^torch==' "$REQUIREMENTS")"
    "$ROOT/venv/bin/pip" install --no-cache-dir -r "$REQUIREMENTS"
    "$ROOT/venv/bin/python" -c "import torch, torch._dynamo
assert not torch.cuda.is_available(); print('torch', torch.__version__)"
fi

if ! id student >/dev/null 2>&1; then
    groupadd --gid "$STUDENT_UID" student
    useradd --uid "$STUDENT_UID" --gid student --no-log-init --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin student
elif [ "$(id -u student)" != "$STUDENT_UID" ]; then
    echo "setup.sh: warning: user student already exists with uid $(id -u student), not" \
         "$STUDENT_UID: its process limit is shared with every process of that uid" >&2
fi
