#!/usr/bin/env bash
# The one script that checks everything: formatting, vet, staticcheck and the
# test suite (the README's test command). CI calls it; run it before pushing.
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
# staticcheck at a pinned version (the module proxy here is a partial mirror).
STATICCHECK=${STATICCHECK:-$(go env GOPATH)/bin/staticcheck}
if [ ! -x "$STATICCHECK" ]; then
  GOFLAGS=-mod=mod go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
"$STATICCHECK" ./...
go test -count=1 -timeout 40m ./...
