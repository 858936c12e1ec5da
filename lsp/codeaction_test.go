package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

func codeActionParams(uri string, r protocol.Range, diags []protocol.Diagnostic, only ...protocol.CodeActionKind) *protocol.CodeActionParams {
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	return &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)},
		Range:        r,
		Context:      protocol.CodeActionContext{Diagnostics: diags, Only: only},
	}
}

func titles(actions []protocol.CodeAction) []string {
	var out []string
	for _, a := range actions {
		out = append(out, a.Title)
	}
	return out
}

// TestQuickFixApplied requests the fixes at a finding, applies the chosen
// one like an editor and checks that the diagnostic goes away.
func TestQuickFixApplied(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/qf.entitlements"
	// Non-ASCII text before the finding and on its line: the edit's UTF-16
	// range must still be exact.
	text := "<!-- 日本語 😀 -->\n<string>é😀</string> BAD <!-- ✓ -->\n"
	c.open(uri, text, 1)
	diags := c.waitVersion(uri, 1)
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %+v", diags)
	}
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, diags[0].Range, diags), &actions)
	if got := strings.Join(titles(actions), "|"); got != "Replace with GOOD|Delete BAD|Fix all safe entitlint problems" {
		t.Fatalf("actions = %s", got)
	}
	fix := actions[0]
	if fix.Kind != protocol.QuickFix || !fix.IsPreferred || len(fix.Diagnostics) != 1 || fix.Diagnostics[0].Code != "fake-bad" {
		t.Errorf("quick fix = %+v", fix)
	}
	if actions[1].IsPreferred {
		t.Errorf("the second fix is not preferred")
	}
	edits := fix.Edit.Changes[protocol.DocumentURI(uri)]
	// "BAD" → "GOOD" shares the final D: the edit is minimal.
	if len(edits) != 1 || edits[0].NewText != "GOO" || edits[0].Range != rng(1, 21, 1, 23) {
		t.Errorf("edits = %+v", edits)
	}
	fixed := applyEdits(t, text, edits)
	if want := strings.Replace(text, "BAD", "GOOD", 1); fixed != want {
		t.Fatalf("after the fix:\n%q\nwant\n%q", fixed, want)
	}
	c.change(uri, fixed, 2)
	if d := c.waitVersion(uri, 2); len(d) != 0 {
		t.Fatalf("diagnostics after the fix = %+v", d)
	}

	// The unsafe alternative deletes the token.
	c.change(uri, text, 3)
	c.waitVersion(uri, 3)
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(1, 22, 1, 22), nil), &actions)
	if got := applyEdits(t, text, actions[1].Edit.Changes[protocol.DocumentURI(uri)]); got != strings.Replace(text, "BAD", "", 1) {
		t.Errorf("delete fix gave %q", got)
	}
}

func TestCodeActionSelection(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/sel.entitlements"
	text := "BAD x\nclean line\nOLD BAD\n"
	c.open(uri, text, 1)
	diags := c.waitVersion(uri, 1)

	tests := []struct {
		name  string
		rng   protocol.Range
		diags []protocol.Diagnostic
		only  []protocol.CodeActionKind
		want  string
	}{
		{"cursor on the first BAD", rng(0, 1, 0, 1), nil, nil,
			"Replace with GOOD|Delete BAD|Fix all safe entitlint problems (2 fixes)"},
		{"cursor just after the token", rng(0, 3, 0, 3), nil, nil,
			"Replace with GOOD|Delete BAD|Fix all safe entitlint problems (2 fixes)"},
		{"clean line", rng(1, 2, 1, 2), nil, nil, "Fix all safe entitlint problems (2 fixes)"},
		{"clean line, diagnostic in context", rng(1, 2, 1, 2), diags[:1], nil,
			"Replace with GOOD|Delete BAD|Fix all safe entitlint problems (2 fixes)"},
		{"whole document", rng(0, 0, 3, 0), nil, []protocol.CodeActionKind{protocol.QuickFix},
			"Replace with GOOD|Delete BAD|Replace with GOOD|Delete BAD"},
		{"only quickfix", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{protocol.QuickFix}, "Replace with GOOD|Delete BAD"},
		{"only source", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{protocol.Source}, "Fix all safe entitlint problems (2 fixes)"},
		{"only source.fixAll", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{sourceFixAll}, "Fix all safe entitlint problems (2 fixes)"},
		{"only our fixAll", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{fixAllKind}, "Fix all safe entitlint problems (2 fixes)"},
		{"only refactor", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{protocol.Refactor}, ""},
		{"only source.organizeImports", rng(0, 0, 0, 0), nil, []protocol.CodeActionKind{protocol.SourceOrganizeImports}, ""},
		{"finding without a fix", rng(2, 1, 2, 1), nil, []protocol.CodeActionKind{protocol.QuickFix}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var actions []protocol.CodeAction
			c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, tt.rng, tt.diags, tt.only...), &actions)
			if actions == nil {
				t.Errorf("the result must be a list, not null")
			}
			if got := strings.Join(titles(actions), "|"); got != tt.want {
				t.Errorf("actions = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStaleContextDiagnostics: the client's diagnostics are for an older
// text; the fixes come from the latest analysis and apply to the latest text.
func TestStaleContextDiagnostics(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/stale-ctx.entitlements"
	c.open(uri, "BAD\n", 1)
	old := c.waitVersion(uri, 1)
	text := "inserted line 😀\nBAD\n"
	c.change(uri, text, 2)
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(1, 0, 1, 0), old, protocol.QuickFix), &actions)
	if len(actions) != 2 {
		t.Fatalf("actions = %v", titles(actions))
	}
	if got := applyEdits(t, text, actions[0].Edit.Changes[protocol.DocumentURI(uri)]); got != "inserted line 😀\nGOOD\n" {
		t.Errorf("fix applied to the new text: %q", got)
	}
	if actions[0].Diagnostics[0].Range != rng(1, 0, 1, 3) {
		t.Errorf("attached diagnostic is stale: %+v", actions[0].Diagnostics[0].Range)
	}
}

// TestFixAll applies every safe fix in one edit; a fix overlapping an
// earlier one is left out, as `entitlint fix` does.
func TestFixAll(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/fixall.entitlements"
	text := "BAD😀BAD\nWIDE BAD\nBADBAD 日本\n"
	c.open(uri, text, 1)
	c.waitVersion(uri, 1)
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil, sourceFixAll), &actions)
	if len(actions) != 1 || actions[0].Kind != fixAllKind || len(actions[0].Diagnostics) != 0 {
		t.Fatalf("actions = %+v", actions)
	}
	fixed := applyEdits(t, text, actions[0].Edit.Changes[protocol.DocumentURI(uri)])
	// WIDE's fix rewrites line 2 and so overlaps its BAD: the earlier fix
	// (WIDE, by position) wins.
	want := "GOOD😀GOOD\n<!-- rewritten -->\nGOODGOOD 日本\n"
	if fixed != want {
		t.Fatalf("fix all gave\n%q\nwant\n%q", fixed, want)
	}
	// Parity with the CLI's fix engine on the same findings.
	findings := fakeRun(&plistxml.Document{Src: []byte(text)}, rules.Options{})
	var edits []rules.Edit
	for _, f := range rules.SafeFixes(findings) {
		edits = append(edits, f.Edits...)
	}
	cli, _ := rules.ApplyEdits([]byte(text), edits)
	if string(cli) != fixed {
		t.Errorf("CLI fix gives %q, LSP fix-all %q", cli, fixed)
	}
	c.change(uri, fixed, 2)
	for _, d := range c.waitVersion(uri, 2) {
		t.Errorf("left after fix all: %+v", d)
	}
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil), &actions)
	if len(actions) != 0 {
		t.Errorf("actions on a clean document: %v", titles(actions))
	}
}

func TestMinimalEdit(t *testing.T) {
	tests := []struct {
		src, repl string
		start     int
		end       int
		wantSpan  plistxml.Span
		wantText  string
	}{
		{"<string>true</string>", "<true/>", 0, 21, plistxml.Span{Start: 1, End: 20}, "true/"},
		{"abc", "abc", 0, 3, plistxml.Span{Start: 3, End: 3}, ""},
		{"abc", "abXc", 0, 3, plistxml.Span{Start: 2, End: 2}, "X"},
		{"key", "", 0, 3, plistxml.Span{Start: 0, End: 3}, ""},
		{"", "new", 0, 0, plistxml.Span{Start: 0, End: 0}, "new"},
		// é (C3 A9) vs è (C3 A8): the shared first byte must not be split off.
		{"café", "cafè", 0, 5, plistxml.Span{Start: 3, End: 5}, "è"},
		// 😀 (F0 9F 98 80) vs 😁 (F0 9F 98 81).
		{"x😀y", "x😁y", 0, 6, plistxml.Span{Start: 1, End: 5}, "😁"},
		// A shared multi-byte suffix is trimmed whole.
		{"a本", "b本", 0, 4, plistxml.Span{Start: 0, End: 1}, "b"},
		{"ab", "xyz", 0, 2, plistxml.Span{Start: 0, End: 2}, "xyz"},
	}
	for _, tt := range tests {
		sp, text := minimalEdit([]byte(tt.src), rules.Edit{Span: plistxml.Span{Start: tt.start, End: tt.end}, NewText: tt.repl})
		if sp != tt.wantSpan || text != tt.wantText {
			t.Errorf("minimalEdit(%q→%q) = %v %q, want %v %q", tt.src, tt.repl, sp, text, tt.wantSpan, tt.wantText)
		}
		// Whatever it trims, applying it must give the same result.
		got := tt.src[:sp.Start] + text + tt.src[sp.End:]
		want := tt.src[:tt.start] + tt.repl + tt.src[tt.end:]
		if got != want {
			t.Errorf("minimalEdit(%q→%q) changes the result: %q, want %q", tt.src, tt.repl, got, want)
		}
	}
}

func TestKindRequested(t *testing.T) {
	kinds := func(k ...protocol.CodeActionKind) []protocol.CodeActionKind { return k }
	tests := []struct {
		only []protocol.CodeActionKind
		kind protocol.CodeActionKind
		want bool
	}{
		{nil, protocol.QuickFix, true},
		{nil, fixAllKind, true},
		{kinds(protocol.QuickFix), protocol.QuickFix, true},
		{kinds(protocol.QuickFix), fixAllKind, false},
		{kinds(protocol.Source), fixAllKind, true},
		{kinds(sourceFixAll), fixAllKind, true},
		{kinds("source.fix"), fixAllKind, false},
		{kinds("source.fixAll.entitlint.more"), fixAllKind, false},
		{kinds(protocol.Refactor, protocol.QuickFix), protocol.QuickFix, true},
	}
	for _, tt := range tests {
		if got := kindRequested(tt.only, tt.kind); got != tt.want {
			t.Errorf("kindRequested(%v, %s) = %v", tt.only, tt.kind, got)
		}
	}
}

// sourceFixAll is LSP 3.15's kind; v0.12 has no constant for it.
const sourceFixAll protocol.CodeActionKind = "source.fixAll"
