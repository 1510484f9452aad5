#!/usr/bin/env bash
# Set up and run every test on a fresh machine: the test requirements, Debian's
# Chromium for the browser tests (Playwright cannot download browsers here), then ruff and pytest.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -m "not browser"
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet -r requirements-test.txt

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian's chromium for the browser tests…"
  sudo_prefix=""
  if [ "$(id -u)" -ne 0 ]; then sudo_prefix="sudo"; fi
  $sudo_prefix apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y -qq chromium
fi

# Lint first: it takes a second, and a red lint fails CI like a red test.
python3 -m ruff check .

exec python3 -m pytest "$@"
