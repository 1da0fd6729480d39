#!/usr/bin/env bash
# Builds the reconciler's container image from the Dockerfile at the repository root, with the version MinVer derives
# from git (the build context has no .git, so the version and commit are passed in as build arguments).
# Usage: scripts/build-image.sh [--local-bases] [TAG]          (TAG default: reconciler:<version>)
#   --local-bases  build FROM the stand-ins scripts/build-images.sh makes (no registry needed) instead of the official
#                  mcr.microsoft.com/dotnet images
# Prints the image's tag last. Docker's layer cache makes a rebuild of unchanged sources a no-op.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bases=()
if [ "${1:-}" = "--local-bases" ]; then
  shift
  sdk="reconciler/dotnet-sdk-local:$(dotnet --version)"
  for image in "$sdk" reconciler/runtime-deps-local:1; do
    docker image inspect "$image" >/dev/null 2>&1 || { echo "build-image: $image is missing: run scripts/build-images.sh" >&2; exit 1; }
  done
  bases=(--build-arg "SDK_IMAGE=$sdk" --build-arg "RUNTIME_IMAGE=reconciler/runtime-deps-local:1")
fi

version="$(dotnet msbuild src/Reconciler.Cli/Reconciler.Cli.csproj -restore -nologo -t:MinVer -getProperty:MinVerVersion 2>/dev/null | tail -1)"
[ -n "$version" ] || { echo "build-image: MinVer gave no version" >&2; exit 1; }
revision="$(git rev-parse HEAD)"
tag="${1:-reconciler:$version}"

log="$(mktemp /tmp/reconciler-image.XXXXXX.log)"
# --network host: the restore inside the build reaches the NuGet feed exactly as this machine does.
if ! docker build --network host -t "$tag" "${bases[@]}" --build-arg "VERSION=$version" --build-arg "REVISION=$revision" . >"$log" 2>&1; then
  echo "build-image: docker build failed, see $log" >&2; tail -30 "$log" >&2; exit 1
fi
rm -f "$log"
echo "$tag"
