#!/usr/bin/env bash
# Runs the lspcheck latency benchmark (lspbench.mjs, built on VS Code's own
# protocol libraries) against entitlint and, when installed, efm-langserver +
# xmllint, on the same generated 2 KB / 1 MB / 5 MB files, in one run.
#   scripts/lspbench.sh PATH/TO/lspcheck [OUTDIR]
# lspcheck is the team's independent judge (not part of this repository);
# set it up there with `npm ci` (and .bin/efm-langserver for the peer).
set -euo pipefail
LSPCHECK=$(cd "${1:?usage: scripts/lspbench.sh PATH/TO/lspcheck [OUTDIR]}" && pwd)
OUT=${2:-/tmp/entitlint-lspbench}
cd "$(dirname "$0")/.."
REPO=$(pwd)
mkdir -p "$OUT"
go build -trimpath -o "$OUT/entitlint" ./cmd/entitlint
# The floor: a server that answers every change with empty diagnostics
# without reading it (scripts/lspfloor); what is left is client and pipes.
go build -trimpath -o "$OUT/lspfloor" ./scripts/lspfloor
EFM="${EFM:-$LSPCHECK/.bin/efm-langserver}"
cd "$LSPCHECK"
for s in 2KB 1MB 5MB; do
  node lspbench.mjs --gen $s --gen-format plist --gen-out "$OUT/gen-$s.entitlements" --gen-only >/dev/null
done
run() { # label file iterations cmd [lspbench flags]
  echo "== $1"
  node lspbench.mjs --label "$1" --cmd "$4" --file "$2" --iterations "$3" --starts 5 --json "${@:5}" >"$OUT/$1.txt" 2>&1 || echo "   (exit status $?)"
  grep -v '^{' "$OUT/$1.txt" || true
  grep '^{' "$OUT/$1.txt" >"$OUT/$1.summary.json" || true
}
# A p99 needs many changes: over 100, it is the slowest or the second
# slowest, and moves by half a millisecond from run to run at 2 KB.
run floor-2KB "$OUT/gen-2KB.entitlements" 10000 "$OUT/lspfloor"
run entitlint-2KB "$OUT/gen-2KB.entitlements" 10000 "$OUT/entitlint serve"
run entitlint-1MB "$OUT/gen-1MB.entitlements" 300 "$OUT/entitlint serve"
run entitlint-5MB "$OUT/gen-5MB.entitlements" 30 "$OUT/entitlint serve"
# entitlint asks for incremental sync, as editors use it; the same 1 MB run
# with the whole text in every change, as a client without it would send.
run entitlint-1MB-fullsync "$OUT/gen-1MB.entitlements" 100 "$OUT/entitlint serve" --sync full
# Hovers and quick fixes, on a real mistake: the hallucinated app-groups key
# on line 8 of the example (its hover and its two fixes plus "Fix all").
run entitlint-hover-action "$REPO/testdata/examples/Broken.entitlements" 5000 "$OUT/entitlint serve" --hover 7:10 --action 7:10
if [ -x "$EFM" ] && command -v xmllint >/dev/null; then
  run efm-xmllint-2KB "$OUT/gen-2KB.entitlements" 1000 "$EFM -c peers/efm-xmllint.yaml"
  run efm-xmllint-1MB "$OUT/gen-1MB.entitlements" 100 "$EFM -c peers/efm-xmllint.yaml"
  run efm-xmllint-5MB "$OUT/gen-5MB.entitlements" 10 "$EFM -c peers/efm-xmllint.yaml"
fi
echo "results in $OUT"
