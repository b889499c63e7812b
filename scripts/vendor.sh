#!/usr/bin/env bash
# Refreshes the front-end files vendored under web/static/vendor from npm.
# The versions are pinned here; bump them, run this script, commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX=2.0.11
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX" >/dev/null && tar xzf htmx.org-$HTMX.tgz)
cp "$tmp/package/dist/htmx.min.js" web/static/vendor/htmx.min.js
echo "htmx.org $HTMX" > web/static/vendor/VERSIONS
echo "vendored: $(cat web/static/vendor/VERSIONS)"
