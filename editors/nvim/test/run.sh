#!/usr/bin/env bash
# run.sh: end-to-end test of the Neovim plugin. Headless Neovim with
# 'runtimepath' = editors/nvim and a freshly built entitlint on PATH opens
# broken files and must get entitlint's diagnostics (see e2e.lua).
# Neovim: $ENTITLINT_NVIM, else <repo>/.nvim/nvim, else nvim on PATH; it
# must be 0.10 or later, or the test is skipped.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN="$(dirname "$HERE")"
REPO="$(cd "$PLUGIN/../.." && pwd)"

# version_ok NVIM: true for Neovim 0.10 or later.
version_ok() {
  local v major minor
  v=$("$1" --version 2>/dev/null | head -n 1) || return 1
  [[ $v =~ ^NVIM\ v([0-9]+)\.([0-9]+) ]] || return 1
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  [ "$major" -gt 0 ] || [ "$minor" -ge 10 ]
}

NVIM=""
for c in "${ENTITLINT_NVIM:-}" "$REPO/.nvim/nvim" "$(command -v nvim || true)"; do
  if [ -n "$c" ] && [ -x "$c" ] && version_ok "$c"; then NVIM="$c"; break; fi
done
if [ -z "$NVIM" ]; then
  echo "SKIP: no Neovim 0.10 or later found (looked at \$ENTITLINT_NVIM, $REPO/.nvim/nvim and nvim on PATH)."
  echo "      Install Neovim 0.10+ (on Debian 12, scripts/install-nvim.sh puts 0.10.4 in .nvim/), or set ENTITLINT_NVIM."
  echo "nvim e2e: 0 passed, 0 failed, 1 skipped"
  exit 0
fi
echo "using $("$NVIM" --version | head -n 1) ($NVIM)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
(cd "$REPO" && go build -o "$WORK/bin/entitlint" ./cmd/entitlint)
export PATH="$WORK/bin:$PATH"

passed=0
failed=0
for scenario in default options; do
  log="$WORK/$scenario.log"
  status=0
  # XDG dirs in $WORK: no user config, plugins, state or log of the user's.
  E2E_SCENARIO=$scenario E2E_WORK="$WORK/$scenario" E2E_FIXTURE="$HERE/Broken.entitlements" \
    XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" XDG_STATE_HOME="$WORK/xdg/state" \
    timeout 90 "$NVIM" --headless --clean --cmd "set runtimepath^=$PLUGIN" \
    -c "luafile $HERE/e2e.lua" >"$log" 2>&1 </dev/null || status=$?
  cat "$log"
  line=$(grep -E '^nvim e2e \([a-z]+\): [0-9]+ passed, [0-9]+ failed$' "$log" || true)
  if [ -z "$line" ]; then
    echo "nvim e2e ($scenario): no result (exit status $status)"
    failed=$((failed + 1))
    continue
  fi
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$status" -eq 0 ] || [ "$f" -gt 0 ] || { echo "nvim exited with $status"; failed=$((failed + 1)); }
done
echo "nvim e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
