#!/usr/bin/env bash
# The one script that checks everything: formatting, vet, and the test suite
# (the README's test command). CI calls it; run it before pushing.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -count=1 ./...
