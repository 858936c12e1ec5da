package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/rules"
)

// findNvim returns a Neovim >= 0.10: $ENTITLINT_NVIM, nvim on PATH, or the
// one scripts/install-nvim.sh puts in .nvim/.
func findNvim(t *testing.T) string {
	t.Helper()
	var candidates []string
	if p := os.Getenv("ENTITLINT_NVIM"); p != "" {
		candidates = append(candidates, p)
	}
	if p, err := exec.LookPath("nvim"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, filepath.Join("..", ".nvim", "nvim"))
	for _, p := range candidates {
		out, err := exec.Command(p, "--version").Output()
		if err != nil {
			continue
		}
		m := regexp.MustCompile(`NVIM v(\d+)\.(\d+)`).FindSubmatch(out)
		if m == nil {
			continue
		}
		major, _ := strconv.Atoi(string(m[1]))
		minor, _ := strconv.Atoi(string(m[2]))
		if major > 0 || minor >= 10 {
			return p
		}
		t.Logf("%s is Neovim %s.%s; 0.10 or later is needed", p, m[1], m[2])
	}
	t.Skip("Neovim 0.10+ not found: run scripts/install-nvim.sh (puts it in .nvim/) or set ENTITLINT_NVIM=/path/to/nvim")
	return ""
}

type nvimLine struct {
	Type, Phase, Code, Message, Title, Kind, Contents, Source string
	Lnum, Col, Index, Count, Version                          int
	EndLnum                                                   int  `json:"end_lnum"`
	EndCol                                                    int  `json:"end_col"`
	ExitCode                                                  int  `json:"exit_code"`
	IsPreferred                                               bool `json:"isPreferred"`
	Lines                                                     []string
	Server                                                    struct{ Name, Version string }
}

// TestNeovimE2E runs the real binary under Neovim's LSP client: open a
// broken file, see the diagnostics where the CLI puts them, hover a key,
// apply a quick fix and fix-all, and stop cleanly.
func TestNeovimE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	requireParser(t)
	nvim := findNvim(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "entitlint")
	build := exec.Command("go", "build", "-o", bin, "./cmd/entitlint")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join("..", "testdata", "lsp", "broken.entitlements"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "App.entitlements")
	writeFile(t, file, string(src))
	script, _ := filepath.Abs(filepath.Join("..", "testdata", "lsp", "nvim-e2e.lua"))
	logFile := filepath.Join(dir, "server.log")

	text := string(src)
	keyLine, keyCol := lineCol(text, strings.Index(text, "com.apple.security.app-sandbox"))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-i", "NONE", "-c", "luafile "+script)
	cmd.Env = append(os.Environ(),
		"ENTITLINT_BIN="+bin, "ENTITLINT_FILE="+file, "ENTITLINT_LOG="+logFile,
		"ENTITLINT_FIX_CODE=wrong-type", "ENTITLINT_HOVER="+strconv.Itoa(keyLine)+":"+strconv.Itoa(keyCol),
		"XDG_CONFIG_HOME="+dir+"/config", "XDG_DATA_HOME="+dir+"/data", "XDG_STATE_HOME="+dir+"/state", "XDG_CACHE_HOME="+dir+"/cache")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	t.Logf("nvim output:\n%s", out)
	if err != nil {
		serverLog, _ := os.ReadFile(logFile)
		t.Fatalf("nvim: %v\nstderr: %s\nserver log:\n%s", err, stderr.String(), serverLog)
	}

	var lines []nvimLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l nvimLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Type != "" {
			lines = append(lines, l)
		}
	}
	of := func(typ, phase string) []nvimLine {
		var r []nvimLine
		for _, l := range lines {
			if l.Type == typ && l.Phase == phase {
				r = append(r, l)
			}
		}
		return r
	}

	client := of("client", "")
	if len(client) != 1 || client[0].Server.Name != "entitlint" || !strings.Contains(client[0].Server.Version, "(catalog ") {
		t.Errorf("client = %+v", client)
	}
	// Neovim turns the UTF-16 ranges into byte columns of the buffer: they
	// must land where the CLI puts its findings.
	findings := rules.Check(src, rules.Options{}).Findings
	open := of("diagnostic", "open")
	if len(open) != len(findings) {
		t.Fatalf("%d diagnostics in Neovim, the CLI finds %d", len(open), len(findings))
	}
	for i, f := range findings {
		l, c := byteLineCol(text, f.Span.Start)
		el, ec := byteLineCol(text, f.Span.End)
		d := open[i]
		if d.Code != f.Rule || d.Message != f.Message || d.Source != "entitlint" || d.Lnum != l || d.Col != c || d.EndLnum != el || d.EndCol != ec {
			t.Errorf("Neovim shows %s at %d:%d-%d:%d, the CLI %s at %d:%d-%d:%d", d.Code, d.Lnum, d.Col, d.EndLnum, d.EndCol, f.Rule, l, c, el, ec)
		}
	}

	hover := of("hover", "")
	if len(hover) != 1 || hover[0].Kind != "markdown" || !strings.Contains(hover[0].Contents, "`com.apple.security.app-sandbox`") {
		t.Errorf("hover = %+v", hover)
	}

	actions := of("code_action", "")
	if len(actions) == 0 || actions[0].Kind != "quickfix" || !strings.Contains(actions[0].Title, "<true/>") {
		t.Fatalf("quick fixes = %+v", actions)
	}
	buf := of("buffer", "after_fix")
	if len(buf) != 1 || buf[0].Lines[keyLine+1] != "\t<true/> <!-- 日本 after a finding -->" {
		t.Errorf("buffer after the fix = %+v", buf)
	}
	after := of("diagnostic", "after_fix")
	if len(after) != len(open)-1 {
		t.Errorf("%d diagnostics after the fix, want %d", len(after), len(open)-1)
	}
	for _, d := range after {
		if d.Code == "wrong-type" {
			t.Errorf("wrong-type still reported after its fix: %+v", d)
		}
	}

	if fa := of("code_action", "fix_all"); len(fa) != 1 || fa[0].Kind != string(fixAllKind) {
		t.Errorf("fix-all actions = %+v", fa)
	}
	if left := of("diagnostic", "after_fix_all"); len(left) >= len(after) {
		t.Errorf("fix all left %d of %d diagnostics", len(left), len(after))
	}
	if ex := of("exit", ""); len(ex) != 1 || ex[0].ExitCode != 0 {
		t.Errorf("server exit = %+v, want code 0 after shutdown and exit", ex)
	}
}

// lineCol is the 0-based line and UTF-16 column of a byte offset.
func lineCol(text string, off int) (int, int) {
	p := utf16Pos(text, off)
	return int(p.Line), int(p.Character)
}

// byteLineCol is the 0-based line and byte column, as vim.diagnostic has them.
func byteLineCol(text string, off int) (int, int) {
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return strings.Count(text[:off], "\n"), off - start
}
