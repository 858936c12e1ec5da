#!/usr/bin/env bash
# install-nvim.sh: put Neovim 0.10 (Debian 13 "trixie"'s package) in a private
# directory, for the end-to-end LSP test (lsp/e2e_nvim_test.go). Nothing is
# installed system-wide and nothing under /etc or /usr changes.
#
# usage: scripts/install-nvim.sh [DIR]     (default: .nvim at the repository root)
#        then: ENTITLINT_NVIM=DIR/nvim go test ./lsp/ -run NeovimE2E -v
#        DEBIAN_MIRROR=URL overrides the Debian archive taken from apt's sources.
#
# Why not apt-get install neovim: Debian 12 ships 0.7.2, which lacks
# vim.lsp.start (0.8+) and the 0.10 client the test drives. Trixie's 0.10
# needs glibc >= 2.38 (bookworm has 2.36), so trixie's libc is unpacked
# beside it and nvim runs through that libc's own loader; DIR/nvim is the
# wrapper. Processes nvim starts (the language server) use the system libc.
# On a system with Neovim >= 0.10 already, just set ENTITLINT_NVIM or put it
# on PATH instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="$(mkdir -p "${1:-$ROOT/.nvim}" && cd "${1:-$ROOT/.nvim}" && pwd)"

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  { echo "install-nvim: needs a Debian-based system (apt-get, dpkg-deb)" >&2; exit 1; }
ARCH="$(dpkg --print-architecture)"
TRIPLET="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")"
case "$ARCH" in
  amd64) LOADER=ld-linux-x86-64.so.2 ;;
  arm64) LOADER=ld-linux-aarch64.so.1 ;;
  *) echo "install-nvim: unsupported architecture $ARCH" >&2; exit 1 ;;
esac

# The Debian archive apt already uses: deb822 .sources first, then sources.list.
MIRROR="${DEBIAN_MIRROR:-}"
[ -n "$MIRROR" ] || MIRROR="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)"
[ -n "$MIRROR" ] || MIRROR="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:.*debian\/?$/ && $i !~ /security/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null | head -n 1)"
[ -n "$MIRROR" ] || { echo "install-nvim: no Debian archive in apt's sources; set DEBIAN_MIRROR" >&2; exit 1; }
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || { echo "install-nvim: $KEYRING missing (apt-get install debian-archive-keyring)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/debs"
echo "deb [signed-by=$KEYRING] $MIRROR trixie main" >"$WORK/sources.list"
APT=(-o Dir::Etc::SourceList="$WORK/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$WORK/lists" -o Dir::Cache="$WORK/cache"
     -o Dir::Cache::Archives="$WORK/cache/archives" -o APT::Sandbox::User=root
     -o Debug::NoLocking=1 -o APT::Architecture="$ARCH")
echo "install-nvim: reading trixie's package lists from $MIRROR"
apt-get "${APT[@]}" -qq update
# neovim's run-time dependencies in trixie, plus the libc they are built against.
PKGS=(neovim neovim-runtime libc6 libgcc-s1 libluajit-5.1-2 libluajit-5.1-common
      libmsgpack-c2 libtree-sitter0.22 libunibilium4 libuv1t64 libvterm0 lua-lpeg lua-luv)
(cd "$WORK/debs" && apt-get "${APT[@]}" -qq download "${PKGS[@]/%//trixie}")

rm -rf "$D/root"
mkdir -p "$D/root"
for f in "$WORK"/debs/*.deb; do dpkg-deb -x "$f" "$D/root"; done
cat >"$D/nvim" <<EOF
#!/bin/sh
# Neovim from Debian trixie, run with trixie's own glibc loader (see scripts/install-nvim.sh).
R="\$(dirname "\$(readlink -f "\$0")")/root"
export VIMRUNTIME="\$R/usr/share/nvim/runtime"
exec "\$R/usr/lib/$TRIPLET/$LOADER" --library-path "\$R/usr/lib/$TRIPLET" "\$R/usr/bin/nvim" "\$@"
EOF
chmod +x "$D/nvim"
"$D/nvim" --version | head -n 1
"$D/nvim" --headless --clean -c 'lua io.stdout:write((vim.lsp.start and "vim.lsp.start: yes" or "vim.lsp.start: MISSING") .. "\n")' -c 'qall!'
echo "install-nvim: done; use ENTITLINT_NVIM=$D/nvim"
