#!/usr/bin/env bash
# Lints every GitHub Actions workflow in .github/workflows, and the reusable action action.yml, with action-validator (pinned in tools/node's lock file).
# It first proves the linter can fail: a copy of ci.yml with one key misspelt must be rejected, or a linter that
# passes everything (a broken install, a changed CLI) would make this step green without checking anything.
# Usage: scripts/lint-workflows.sh     (installs nodejs and npm with apt-get when they are missing, as root)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v npm >/dev/null 2>&1; then
  echo "lint: apt-get install nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

npm ci --prefix tools/node --no-audit --no-fund --loglevel=error >/dev/null
LINT="$ROOT/tools/node/node_modules/.bin/action-validator"

broken="$(mktemp --suffix=.yml)"
trap 'rm -f "$broken"' EXIT
sed 's/^\(\s*\)runs-on:/\1runs_on:/' .github/workflows/ci.yml > "$broken"
if cmp -s .github/workflows/ci.yml "$broken"; then
  echo "lint: self-check could not break ci.yml (no runs-on: key)" >&2; exit 1
fi
if "$LINT" "$broken" >/dev/null 2>&1; then
  echo "lint: action-validator accepted a workflow without runs-on; the lint step would prove nothing" >&2; exit 1
fi
echo "lint: self-check ok (a workflow with 'runs_on' instead of 'runs-on' is rejected)"

status=0
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then echo "lint: no workflow files found" >&2; exit 1; fi
workflows+=(action.yml) # action-validator tells an action from a workflow by its file name
for workflow in "${workflows[@]}"; do
  if "$LINT" "$workflow"; then
    echo "lint: ok $workflow"
  else
    echo "lint: FAILED $workflow (action-validator's errors above)" >&2
    status=1
  fi
done
exit "$status"
