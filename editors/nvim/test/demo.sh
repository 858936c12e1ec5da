#!/usr/bin/env bash
# demo.sh: renders the plugin in a real Neovim TUI inside tmux (diagnostics,
# a hover, a code action; about 20 s) and prints each screen.
# Its output is ../demo.txt. Needs tmux, Go and Neovim 0.10+ (found as in run.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN="$(dirname "$HERE")"
REPO="$(cd "$PLUGIN/../.." && pwd)"
NVIM="${ENTITLINT_NVIM:-}"
[ -n "$NVIM" ] || { [ -x "$REPO/.nvim/nvim" ] && NVIM="$REPO/.nvim/nvim"; } || NVIM="$(command -v nvim)"

W="$(mktemp -d)"
SESSION="entitlint-demo-$$"
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  [ -z "${srv:-}" ] || kill "$srv" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/bin" "$W/MyApp/MyApp.xcodeproj" "$W/MyApp/MyApp"
(cd "$REPO" && go build -o "$W/bin/entitlint" ./cmd/entitlint)
cat >"$W/MyApp/MyApp/MyApp.entitlements" <<'PLIST'
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>com.apple.developer.app-groups</key>
	<array>
		<string>group.com.example.shared</string>
	</array>
	<key>aps-environment</key>
	<string>staging</string>
	<key>com.apple.security.app-sandbox</key>
	<string>YES</string>
</dict>
</plist>
PLIST
cat >"$W/init.lua" <<LUA
vim.opt.runtimepath:prepend('$PLUGIN')
require('entitlint').setup()
vim.o.number = true
vim.o.signcolumn = 'yes'
LUA
# A Neovim unpacked by install-nvim.sh keeps its bundled tree-sitter parsers
# (markdown, for the hover float) outside the runtime path it knows.
extra=()
parsers="$(dirname "$(readlink -f "$NVIM")")/root/usr/lib/nvim"
[ -d "$parsers/parser" ] && extra=(--cmd "set runtimepath+=$parsers")

# The editor runs headless with a socket and tmux shows it through
# --remote-ui: a TUI started directly re-executes v:progpath, which is the
# glibc loader for install-nvim.sh's wrapper.
cd "$W/MyApp"
PATH="$W/bin:$PATH" XDG_STATE_HOME="$W/state" XDG_DATA_HOME="$W/data" \
  "$NVIM" --headless --listen "$W/sock" --clean "${extra[@]}" -u "$W/init.lua" MyApp/MyApp.entitlements </dev/null >/dev/null 2>&1 &
srv=$!
for _ in $(seq 50); do [ -S "$W/sock" ] && break; sleep 0.2; done
tmux new-session -d -s "$SESSION" -x 120 -y 22 "$NVIM --remote-ui --server $W/sock"
shot() { sleep "$2"; printf '\n--- %s\n' "$1"; tmux capture-pane -p -t "$SESSION" | sed -e 's/[[:space:]]*$//' -e "s#$W#~/Projects#g"; }
keys() { tmux send-keys -t "$SESSION" "$@"; }

shot 'nvim MyApp/MyApp.entitlements   (no <?xml line; MyApp/ holds MyApp.xcodeproj)' 6
keys ':set filetype? | lua local c = vim.lsp.get_clients()[1]; print(c.name .. " root: " .. c.config.root_dir)' Enter
shot ':set filetype? and the client' 1
keys ':lua vim.diagnostic.setloclist()' Enter
shot ':lua vim.diagnostic.setloclist()   (the full messages)' 2
keys ':lclose' Enter 4G 0 12l K
shot 'cursor on the key, K (hover)' 3
keys j k ':lua vim.lsp.buf.code_action()' Enter # moving closes the float
shot ':lua vim.lsp.buf.code_action()' 3
keys 1 Enter
shot 'chose 1: the key is replaced and its diagnostic is gone' 3
keys ':qa!' Enter
