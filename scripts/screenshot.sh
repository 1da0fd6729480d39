#!/usr/bin/env bash
# Takes a PNG of a report page (e.g. the fleet page for the README: docs/fleet.png) with Debian's headless Chromium.
# The page is opened from file:// with no network; its own Content-Security-Policy forbids any request anyway.
# Usage: scripts/screenshot.sh FILE.html OUT.png [WIDTH [HEIGHT]]     (default 1440 x 1200; apt-get install chromium)
set -euo pipefail

if [ "$#" -lt 2 ]; then echo "usage: $0 FILE.html OUT.png [WIDTH [HEIGHT]]" >&2; exit 2; fi
file="$1"; out="$2"; width="${3:-1440}"; height="${4:-1200}"
if [ ! -f "$file" ]; then echo "screenshot: $file not found" >&2; exit 1; fi
if [ ! -x /usr/bin/chromium ]; then echo "screenshot: /usr/bin/chromium missing (apt-get install -y chromium)" >&2; exit 1; fi
case "$width$height" in *[!0-9]*) echo "screenshot: WIDTH and HEIGHT are pixels" >&2; exit 2 ;; esac

url="file://$(realpath "$file")"
target="$(realpath -m "$out")"
mkdir -p "$(dirname "$target")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# A throw-away profile: the screenshot never depends on (or writes to) the user's own Chromium state.
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$width,$height" --screenshot="$target" "$url" >/dev/null 2>&1
if [ ! -s "$target" ]; then echo "screenshot: chromium wrote no $target" >&2; exit 1; fi
echo "wrote $target (${width}x${height})"
