#!/bin/sh
# Creates sync-fixtures/.venv and installs requirements.txt, only when missing
# or out of date. Idempotent and quiet when there is nothing to do.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV="$HERE/.venv"
REQ="$HERE/requirements.txt"
STAMP="$VENV/.requirements.sha256"
PYTHON=${PYTHON:-python3}

want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
   && "$VENV/bin/python" -c 'import fhir.resources, pydantic; assert fhir.resources.__version__ == "6.4.0"; assert pydantic.VERSION.startswith("1.")' 2>/dev/null; then
    exit 0
fi

echo "setup-venv: creating $VENV" >&2
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
"$VENV/bin/python" -c 'import fhir.resources, pydantic; assert fhir.resources.__version__ == "6.4.0"; assert pydantic.VERSION.startswith("1.")'
echo "$want" > "$STAMP"
echo "setup-venv: ready" >&2
