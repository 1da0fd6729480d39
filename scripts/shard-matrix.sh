#!/usr/bin/env bash
# Writes the shard matrix of a workflow to $GITHUB_OUTPUT: count=N and list=[1,...,N], N being the repository variable
# RECONCILER_SHARDS (passed as $SHARDS, default 1). Anything but a whole number from 1 to 256 (GitHub's limit of jobs in
# one matrix) fails the job before any host is contacted. See docs/sharding.md.
set -euo pipefail
shards="${SHARDS:-1}"
# The value as the error shows it: one line of plain characters, so no line of it can be read as a workflow command.
shown="${shards//[!0-9A-Za-z ._+-]/?}"
# Four digits or more are refused before any arithmetic: bash's [ -gt ] fails on a number past 64 bits, and a failed
# test inside 'if' would let that number through to seq.
case "$shards" in
  '' | *[!0-9]* | 0* | ????*) echo "::error::RECONCILER_SHARDS must be a whole number from 1 to 256, not '$shown'"; exit 1 ;;
esac
if [ "$shards" -gt 256 ]; then
  echo "::error::RECONCILER_SHARDS must be a whole number from 1 to 256, not '$shown'"; exit 1
fi
echo "count=$shards" >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
echo "list=[$(seq -s, 1 "$shards")]" >> "$GITHUB_OUTPUT"
