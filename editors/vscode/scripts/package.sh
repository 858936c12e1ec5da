#!/usr/bin/env bash
# package.sh [TARGET...]: builds one .vsix per VS Code platform target into
# dist/, each with entitlint cross-compiled for it in bin/<target>/.
# Targets: darwin-arm64 darwin-x64 linux-x64 linux-arm64 (default: all).
# ENTITLINT_VERSION=v1.2.3 stamps the binaries' version.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(cd ../.. && pwd)"
ALL=(darwin-arm64 darwin-x64 linux-x64 linux-arm64)
[ $# -gt 0 ] || set -- "${ALL[@]}"

LDFLAGS="-s -w"
if [ -n "${ENTITLINT_VERSION:-}" ]; then
  LDFLAGS="$LDFLAGS -X github.com/entitlint/entitlint/version.Version=$ENTITLINT_VERSION"
fi
VERSION="$(node -p 'require("./package.json").version')"

[ -d node_modules ] || npm ci --ignore-scripts
mkdir -p dist
for target in "$@"; do
  case "$target" in
    darwin-arm64|darwin-x64|linux-x64|linux-arm64) ;;
    *) echo "package.sh: unknown target $target (use: ${ALL[*]})" >&2; exit 2 ;;
  esac
  goos="${target%-*}"
  goarch="${target#*-}"
  [ "$goarch" = x64 ] && goarch=amd64
  # Only this target's binary may go into this target's package.
  rm -rf bin
  mkdir -p "bin/$target"
  (cd "$REPO" && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" \
    go build -trimpath -ldflags "$LDFLAGS" -o "$OLDPWD/bin/$target/entitlint" ./cmd/entitlint)
  out="dist/entitlint-$target-$VERSION.vsix"
  # vsce runs the vscode:prepublish bundle step; with everything bundled,
  # it needs no node_modules in the package.
  npx --no-install vsce package --target "$target" --no-dependencies --skip-license \
    --no-update-package-json -o "$out" >/dev/null
  echo "$out $(du -h "$out" | cut -f1)"
done
