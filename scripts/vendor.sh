#!/usr/bin/env bash
# Refreshes the front-end files vendored under web/static/vendor from npm.
# The versions are pinned here; bump them, run this script, commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX=2.0.11
ECHARTS=6.1.0
AXE=4.10.3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { (cd "$tmp" && rm -rf package && npm pack --silent "$1" >/dev/null && tar xzf "$2"); }
fetch "htmx.org@$HTMX" "htmx.org-$HTMX.tgz"
cp "$tmp/package/dist/htmx.min.js" web/static/vendor/htmx.min.js
fetch "echarts@$ECHARTS" "echarts-$ECHARTS.tgz"
cp "$tmp/package/dist/echarts.min.js" web/static/vendor/echarts.min.js
# axe-core is only used by the browser tests (accessibility check).
fetch "axe-core@$AXE" "axe-core-$AXE.tgz"
mkdir -p e2e/testdata
cp "$tmp/package/axe.min.js" e2e/testdata/axe.min.js
printf 'htmx.org %s\necharts %s\naxe-core %s (e2e/testdata)\n' "$HTMX" "$ECHARTS" "$AXE" > web/static/vendor/VERSIONS
echo "vendored: $(cat web/static/vendor/VERSIONS)"
