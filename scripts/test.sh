#!/usr/bin/env bash
# Set up and run every test on a fresh machine: the test requirements, Debian's Chromium for the
# browser tests (Playwright cannot download browsers here) and HAProxy, then ruff, mypy and pytest.
#
#   bash scripts/test.sh            everything (what CI runs)
#   bash scripts/test.sh --fast     the fast tier: ruff and the tests that train nothing, load no model
#                                   beyond GloVe and need no browser (pytest -m "not slow and not browser")
#
# Other arguments go to pytest, e.g.  bash scripts/test.sh tests/test_wordlists.py -x
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
if [ "${1:-}" = "--fast" ]; then
  fast=true
  shift
fi

python3 -m pip install --quiet -r requirements-test.txt

# The full run needs Debian's Chromium (browser tests) and HAProxy (the replicas behind a balancer).
missing=()
if ! $fast; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v haproxy > /dev/null || missing+=(haproxy)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian's ${missing[*]} for the browser and replica tests…"
  sudo_prefix=""
  if [ "$(id -u)" -ne 0 ]; then sudo_prefix="sudo"; fi
  $sudo_prefix apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y -qq "${missing[@]}"
fi

# Lint first: it takes a second, and a red lint fails CI like a red test.
python3 -m ruff check .

# Two test processes (pytest-xdist), a test file each at a time: much of a test's time is waiting
# for a server, a browser or a subprocess, so two share the two cores well. TEST_WORKERS=0 runs one.
workers=(-n "${TEST_WORKERS:-2}" --dist loadfile)
if $fast; then
  exec python3 -m pytest "${workers[@]}" -m "not slow and not browser" "$@"
fi
# The type check (about a minute on a fresh machine, seconds with its cache) belongs to the full run;
# the slowest tests are listed at its end, to see where a slow CI run spent its time.
python3 -m mypy
exec python3 -m pytest "${workers[@]}" --durations=20 "$@"
