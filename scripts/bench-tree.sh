#!/usr/bin/env bash
# Measures `entitlint check` against `xmllint --noout` over the same tree of
# N entitlements files (default 10,000), in one run, with hyperfine.
# Needs: go, xmllint (Debian: libxml2-utils), hyperfine.
#   scripts/bench-tree.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/entitlint" ./cmd/entitlint
mkdir -p "$work/tree"
for i in $(seq 0 $((n - 1))); do
  d="$work/tree/t$((i / 100))"
  [ $((i % 100)) -eq 0 ] && mkdir -p "$d"
  if [ $((i % 10)) -eq 0 ]; then src=testdata/examples/Broken.entitlements; else src=testdata/examples/iOSApp.entitlements; fi
  cp "$src" "$d/App$i.entitlements"
done
echo "files: $(find "$work/tree" -name '*.entitlements' | wc -l), cores: $(nproc)"
hyperfine --warmup 1 --runs 5 -i --export-markdown "$work/result.md" \
  -n "entitlint check (all rules, parallel)" "$work/entitlint check --format json $work/tree > /dev/null" \
  -n "xmllint --noout (well-formedness only, via xargs -P$(nproc))" "find $work/tree -name '*.entitlements' -print0 | xargs -0 -n 500 -P $(nproc) xmllint --noout 2>/dev/null" \
  -n "xmllint --noout (single process)" "find $work/tree -name '*.entitlements' -print0 | xargs -0 xmllint --noout 2>/dev/null"
cat "$work/result.md"
