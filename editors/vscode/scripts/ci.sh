#!/usr/bin/env bash
# ci.sh: the VS Code extension's CI, run by .ci/run. From a clean checkout:
# npm ci, lint, typecheck, bundle, unit tests, the Go server for this
# machine, its integration test through the extension's own launch code,
# then a .vsix for this machine, whose contents and binary are checked.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(cd ../.. && pwd)"
step() { printf '\n== vscode: %s\n' "$*"; }
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

passed=0
failed=0
# node_test NAME FILE...: runs node's test runner, readable output on stdout,
# counts from its TAP report.
node_test() {
  local name=$1 tap
  shift
  tap=$(mktemp)
  local status=0
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@" || status=$?
  local p f
  p=$(grep -E '^# pass ' "$tap" | awk '{print $3}')
  f=$(grep -E '^# fail ' "$tap" | awk '{print $3}')
  echo "# pass ${p:-0}"
  echo "# fail ${f:-0}"
  echo "vscode $name: ${p:-0} passed, ${f:-0} failed"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  rm -f "$tap"
  return $status
}

step "npm ci"
npm ci --ignore-scripts --prefer-offline --no-audit --no-fund

step "lint"
npx --no-install eslint .

step "typecheck and bundle"
npx --no-install tsc -p . --noEmit
node scripts/build.mjs
ls -l out/extension.js

step "unit tests"
npx --no-install tsc -p tsconfig.test.json
node_test unit out-test/test/unit/*.test.js

target=$(node -p 'process.platform + "-" + process.arch')
goarch=$(go env GOARCH)
step "entitlint for $target, bundled where the extension looks (bin/$target/)"
rm -rf bin && mkdir -p "bin/$target"
(cd "$REPO" && CGO_ENABLED=0 GOARCH="$goarch" go build -trimpath -ldflags "-s -w" -o "$OLDPWD/bin/$target/entitlint" ./cmd/entitlint)
"bin/$target/entitlint" version
node scripts/sync-rules.mjs "bin/$target/entitlint" --check || echo "warning: settings schema lists other rules than the server (see above)"

step "integration test: entitlint serve launched as the extension does"
ENTITLINT_PATH='' node_test integration out-test/test/integration/*.test.js

step "package $target"
vsix="dist/entitlint-$target-$(node -p 'require("./package.json").version').vsix"
rm -f "$vsix"
scripts/package.sh "$target"
[ -f "$vsix" ] || { echo "package.sh made no $vsix"; exit 1; }

step "check $vsix"
listing=$(unzip -l "$vsix")
echo "$listing"
checks=0
problems=0
for f in extension/package.json extension/out/extension.js "extension/bin/$target/entitlint" \
  extension/language-configuration.json extension/syntaxes/entitlements.tmLanguage.json; do
  checks=$((checks + 1))
  if grep -qE "[[:space:]]$f\$" <<<"$listing"; then echo "ok: $f"; else echo "MISSING: $f"; problems=$((problems + 1)); fi
done
checks=$((checks + 1))
if grep -qE 'node_modules/|extension/src/|\.ts$' <<<"$listing"; then
  echo "UNWANTED: sources or node_modules in the package"; problems=$((problems + 1))
else echo "ok: no sources, no node_modules"; fi
checks=$((checks + 1))
x=$(mktemp -d)
unzip -q "$vsix" "extension/bin/$target/entitlint" -d "$x"
if "$x/extension/bin/$target/entitlint" version; then echo "ok: the bundled binary runs"; else echo "FAILED: the bundled binary does not run"; problems=$((problems + 1)); fi
rm -rf "$x"
echo "vscode package: $((checks - problems)) passed, $problems failed"
passed=$((passed + checks - problems))
failed=$((failed + problems))

echo
echo "vscode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
