package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// openFixture copies testdata/lsp/NAME into a temporary directory (so no
// .entitlint.json above it applies) and opens it with the real rules.
func openFixture(t *testing.T, c *testClient, name string) (uri, text string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "lsp", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	writeFile(t, path, string(data))
	uri = fileURI(path)
	c.open(uri, string(data), 1)
	return uri, string(data)
}

// realRules runs the server with the real rules (no fake).
func realRules(doc *plistxml.Document, opts rules.Options) []rules.Finding {
	return rules.Run(doc, opts)
}

// TestRealRulesParity: the editor shows exactly what `entitlint check`
// reports, at the same places, and the fixes do what `entitlint fix` does.
func TestRealRulesParity(t *testing.T) {
	requireParser(t)
	c := startServer(t, hooks{run: realRules})
	c.initialize(nil)
	uri, text := openFixture(t, c, "broken.entitlements")
	diags := c.waitVersion(uri, 1)

	cli := rules.Check([]byte(text), rules.Options{}).Findings
	if len(diags) != len(cli) || len(cli) == 0 {
		t.Fatalf("%d diagnostics, the CLI finds %d", len(diags), len(cli))
	}
	for i, f := range cli {
		d := diags[i]
		want := protocol.Range{Start: utf16Pos(text, f.Span.Start), End: utf16Pos(text, f.Span.End)}
		if d.Code != f.Rule || d.Message != f.Message || d.Range != want || d.Severity != severity(f.Severity) {
			t.Errorf("diagnostic %d = %v %q %v, CLI: %s %q %v", i, d.Code, d.Message, d.Range, f.Rule, f.Message, want)
		}
		r, _ := rules.Lookup(f.Rule)
		if d.CodeDescription == nil || string(d.CodeDescription.Href) != r.DocsURL() {
			t.Errorf("%s: codeDescription = %+v", f.Rule, d.CodeDescription)
		}
		if len(d.RelatedInformation) != len(f.Related) {
			t.Errorf("%s: %d related, CLI %d", f.Rule, len(d.RelatedInformation), len(f.Related))
		}
	}

	// Quick fix: the first diagnostic with a fix, applied like an editor.
	fixed := ""
	for i, f := range cli {
		if len(f.Fixes) == 0 {
			continue
		}
		var actions []protocol.CodeAction
		c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, diags[i].Range, diags[i:i+1], protocol.QuickFix), &actions)
		if len(actions) == 0 || actions[0].Title != f.Fixes[0].Title {
			t.Fatalf("%s: actions %v, want %q first", f.Rule, titles(actions), f.Fixes[0].Title)
		}
		fixed = applyEdits(t, text, actions[0].Edit.Changes[protocol.DocumentURI(uri)])
		want, _ := rules.ApplyEdits([]byte(text), f.Fixes[0].Edits)
		if fixed != string(want) {
			t.Fatalf("%s fix gives\n%s\nthe fix engine gives\n%s", f.Rule, fixed, want)
		}
		c.change(uri, fixed, 2)
		after := c.waitVersion(uri, 2)
		if len(after) != len(diags)-1 {
			t.Errorf("after fixing %s: %d diagnostics, want %d", f.Rule, len(after), len(diags)-1)
		}
		for _, d := range after {
			if d.Code == f.Rule && d.Message == f.Message {
				t.Errorf("the fixed diagnostic is still there: %+v", d)
			}
		}
		break
	}
	if fixed == "" {
		t.Fatal("no finding with a fix in the fixture")
	}

	// Fix all = `entitlint fix`.
	c.change(uri, text, 3)
	c.waitVersion(uri, 3)
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil, protocol.Source), &actions)
	if len(actions) != 1 {
		t.Fatalf("fix-all actions = %v", titles(actions))
	}
	all := applyEdits(t, text, actions[0].Edit.Changes[protocol.DocumentURI(uri)])
	var edits []rules.Edit
	for _, f := range rules.SafeFixes(cli) {
		edits = append(edits, f.Edits...)
	}
	if want, _ := rules.ApplyEdits([]byte(text), edits); all != string(want) {
		t.Errorf("fix all gives\n%s\nentitlint fix gives\n%s", all, want)
	}
}

func TestSymbolsAndFolding(t *testing.T) {
	requireParser(t)
	c := startServer(t, hooks{run: realRules})
	c.initialize(nil)
	text := `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<!-- a comment
     on two lines -->
<dict>
	<key>com.apple.security.app-sandbox</key>
	<true/>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.😀.x</string>
		<string>group.b</string>
	</array>
	<key>com.apple.developer.some-dict</key>
	<dict>
		<key>inner</key>
		<integer>3</integer>
	</dict>
</dict>
</plist>
`
	uri := "file:///tmp/symbols.entitlements"
	c.open(uri, text, 1)
	c.waitVersion(uri, 1)
	var syms []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &syms)
	var got []string
	var walk func(syms []protocol.DocumentSymbol, depth int)
	walk = func(syms []protocol.DocumentSymbol, depth int) {
		for _, s := range syms {
			got = append(got, fmt.Sprintf("%s%s (%s) %d:%d-%d:%d", strings.Repeat("  ", depth), s.Name, s.Detail,
				s.Range.Start.Line, s.Range.Start.Character, s.Range.End.Line, s.Range.End.Character))
			if s.SelectionRange.Start.Line < s.Range.Start.Line || s.SelectionRange.End.Line > s.Range.End.Line {
				t.Errorf("%s: selection range %v outside range %v", s.Name, s.SelectionRange, s.Range)
			}
			walk(s.Children, depth+1)
		}
	}
	walk(syms, 0)
	want := []string{
		"com.apple.security.app-sandbox (true) 5:1-6:8",
		"com.apple.security.application-groups (array, 2 items) 7:1-11:9",
		"  [0] (group.😀.x) 9:2-9:29",
		"  [1] (group.b) 10:2-10:26",
		"com.apple.developer.some-dict (dict, 1 key) 12:1-16:8",
		"  inner (3) 14:2-15:22",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("symbols:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Flat symbols for clients without hierarchical support.
	c2 := startServer(t, hooks{run: realRules})
	c2.initialize(&protocol.InitializeParams{})
	c2.open(uri, text, 1)
	var flat []protocol.SymbolInformation
	c2.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &flat)
	if len(flat) != 6 || flat[2].Name != "[0]" || flat[2].ContainerName != "com.apple.security.application-groups" {
		t.Errorf("flat symbols = %+v", flat)
	}

	var folds []protocol.FoldingRange
	c.mustCall(protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}}, &folds)
	var fg []string
	for _, f := range folds {
		fg = append(fg, fmt.Sprintf("%d-%d%s", f.StartLine, f.EndLine, f.Kind))
	}
	if got, want := strings.Join(fg, " "), "4-16 8-10 13-15 2-3comment"; got != want {
		t.Errorf("folding ranges = %s, want %s", got, want)
	}
}
