#!/usr/bin/env bash
# Builds geth v1.13.15 (the last go-ethereum release that still seals Clique proof-of-authority
# blocks) into .tools/geth/bin/geth, once: a geth already there at that version is kept.
# The source comes from the Go module proxy, pinned; Go 1.22.12 is fetched by the go command
# itself (GOTOOLCHAIN). With a current Go toolchain the link fails on github.com/fjl/memsize
# unless -checklinkname=0 is given, so that is the fallback when go1.22.12 cannot be had.
#   bash scripts/install-geth.sh        (npm run consortium and the consortium tests use the result)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.13.15
DEST="$PWD/.tools/geth"
BIN="$DEST/bin/geth"

if [ -x "$BIN" ] && "$BIN" version 2>/dev/null | grep -q "^Version: $VERSION-stable"; then
  echo "geth: $BIN is geth $VERSION (cached)"
  exit 0
fi
# The machine's Go (the polyglot machines have it in /usr/local/go) when none is on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
if ! command -v go >/dev/null 2>&1; then
  echo "geth: the go command is needed to build geth $VERSION (apt-get install golang-go, or a Go from go.dev)" >&2
  exit 1
fi
mkdir -p "$DEST/bin"
echo "geth: building github.com/ethereum/go-ethereum/cmd/geth@v$VERSION into $DEST/bin (a few minutes)"
if ! GOBIN="$DEST/bin" GOFLAGS=-buildvcs=false GOTOOLCHAIN=go1.22.12 \
  go install "github.com/ethereum/go-ethereum/cmd/geth@v$VERSION"; then
  echo "geth: the build with go1.22.12 failed; trying the installed $(go version) with -ldflags=-checklinkname=0"
  GOBIN="$DEST/bin" GOFLAGS=-buildvcs=false GOTOOLCHAIN=local \
    go install -ldflags=-checklinkname=0 "github.com/ethereum/go-ethereum/cmd/geth@v$VERSION"
fi
"$BIN" version | grep "^Version:"
