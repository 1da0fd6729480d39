#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine and runs every test:
# unit tests, container tests against real Debian hosts and browser tests in Debian's Chromium (none skipped), and the
# workflow linter.
# Usage: scripts/test.sh            (as root; the first run builds the host images, ~2 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/setup-docker.sh

# The browser tests (tests/Reconciler.Browser.Tests) drive Debian's Chromium; Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  echo "test: apt-get install chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  # With its recommends: the fonts a screenshot needs to show text.
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi

echo "test: linting the GitHub Actions workflows"
scripts/lint-workflows.sh

echo "test: building (warnings are errors)"
dotnet build Reconciler.sln -c Release -p:CI=true -v quiet -nologo

echo "test: running unit and container tests"
# The whole log scrolls by; when something fails, the failures are printed again last, where a CI summary that
# keeps only the tail still shows them.
log="$(mktemp)"
if ! dotnet test Reconciler.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"; then
  echo "test: FAILED — the failing tests, again:"
  grep -E -A12 '^[[:space:]]+Failed [A-Za-z]' "$log" | grep -v '^\[testcontainers' | head -200 || true
  grep -E '^(Failed!|Passed!|Total tests|[[:space:]]+(Passed|Failed):)' "$log" || true
  rm -f "$log"
  exit 1
fi
rm -f "$log"
