package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

func TestDiagnosticsLifecycle(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/life.entitlements"

	c.open(uri, "one BAD\n", 1)
	if d := c.waitVersion(uri, 1); len(d) != 1 || d[0].Code != "fake-bad" {
		t.Fatalf("v1 diagnostics = %+v", d)
	}
	c.change(uri, "one BAD\ntwo BAD\n", 2)
	if d := c.waitVersion(uri, 2); len(d) != 2 {
		t.Fatalf("v2 diagnostics = %+v", d)
	}
	c.change(uri, "all good\n", 3)
	if d := c.waitVersion(uri, 3); len(d) != 0 {
		t.Fatalf("v3 diagnostics = %+v", d)
	}
	// Version 0 is a real version and must be sent (v0.12's type drops it).
	c.change(uri, "BAD", 0)
	c.waitVersion(uri, 0)

	c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}})
	p := c.waitPublish(uri, func(p publishParams) bool { return p.Version == nil })
	if p.Diagnostics == nil || len(p.Diagnostics) != 0 {
		t.Fatalf("close must publish an empty list, got %#v", p.Diagnostics)
	}
	last := c.publishesFor(uri)
	if l := last[len(last)-1]; l.Version != nil {
		t.Fatalf("a publish came after the close: %+v", l)
	}
}

// TestDiagnosticFields checks every field of a converted finding.
func TestDiagnosticFields(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/fields.entitlements"
	text := "x BAD\nOLD NOPOS\n"
	c.open(uri, text, 7)
	diags := c.waitVersion(uri, 7)
	byCode := map[string]protocol.Diagnostic{}
	for _, d := range diags {
		byCode[d.Code.(string)] = d
		if d.Source != "entitlint" {
			t.Errorf("%v: source = %q", d.Code, d.Source)
		}
		if _, ok := rules.Lookup(d.Code.(string)); !ok && d.CodeDescription != nil {
			t.Errorf("%v: codeDescription for an unknown rule", d.Code)
		}
	}
	bad, old, nopos := byCode["fake-bad"], byCode["fake-old"], byCode["fake-nopos"]
	if bad.Severity != protocol.DiagnosticSeverityError || bad.Range != rng(0, 2, 0, 5) || bad.Message != "BAD is bad" {
		t.Errorf("fake-bad = %+v", bad)
	}
	if old.Severity != protocol.DiagnosticSeverityWarning || old.Range != rng(1, 0, 1, 3) {
		t.Errorf("fake-old = %+v", old)
	}
	if len(old.Tags) != 2 || !hasTag(old.Tags, protocol.DiagnosticTagDeprecated) || !hasTag(old.Tags, protocol.DiagnosticTagUnnecessary) {
		t.Errorf("fake-old tags = %v", old.Tags)
	}
	if len(old.RelatedInformation) != 1 || old.RelatedInformation[0].Location.URI != protocol.DocumentURI(uri) ||
		old.RelatedInformation[0].Location.Range != rng(0, 2, 0, 5) || old.RelatedInformation[0].Message != "first BAD" {
		t.Errorf("fake-old related = %+v", old.RelatedInformation)
	}
	if nopos.Severity != protocol.DiagnosticSeverityInformation || nopos.Range != rng(0, 0, 0, 0) {
		t.Errorf("finding without a span = %+v", nopos)
	}
}

// TestCodeDescription uses a registered rule, when there is one, to check
// that code links to the rule's documentation.
func TestCodeDescription(t *testing.T) {
	all := rules.All()
	if len(all) == 0 {
		t.Skip("no rules registered yet")
	}
	r := all[0]
	c := startServer(t, hooks{run: func(doc *plistxml.Document, _ rules.Options) []rules.Finding {
		return []rules.Finding{{Rule: r.ID, Severity: rules.Warning, Span: plistxml.Span{Start: 0, End: 1}, Message: "m"}}
	}})
	c.initialize(nil)
	c.open("file:///tmp/cd.entitlements", "x", 1)
	d := c.waitVersion("file:///tmp/cd.entitlements", 1)
	if len(d) != 1 || d[0].CodeDescription == nil || string(d[0].CodeDescription.Href) != r.DocsURL() {
		t.Fatalf("diagnostic = %+v, want codeDescription %s", d, r.DocsURL())
	}
}

func rng(l1, c1, l2, c2 uint32) protocol.Range {
	return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
}

func hasTag(tags []protocol.DiagnosticTag, tag protocol.DiagnosticTag) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// TestUTF16Positions puts astral emoji (two UTF-16 units), CJK (three UTF-8
// bytes, one unit) and combining characters before findings and on the
// same lines.
func TestUTF16Positions(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []protocol.Range // of each BAD, in order
	}{
		{"ascii", "<!-- x -->BAD", []protocol.Range{rng(0, 10, 0, 13)}},
		{"emoji before on the line", "<!-- 😀 -->BAD", []protocol.Range{rng(0, 11, 0, 14)}},
		{"two emoji", "😀😀BAD😀BAD", []protocol.Range{rng(0, 4, 0, 7), rng(0, 9, 0, 12)}},
		{"cjk", "<string>日本語</string>BAD", []protocol.Range{rng(0, 20, 0, 23)}},
		{"combining", "e\u0301e\u0301 BAD", []protocol.Range{rng(0, 5, 0, 8)}},
		{"flag and zwj family", "🇫🇷👨‍👩‍👧BAD", []protocol.Range{rng(0, 12, 0, 15)}},
		{"emoji on previous lines", "😀\n<!-- 日本 -->\n\tBAD", []protocol.Range{rng(2, 1, 2, 4)}},
		{"crlf", "😀\r\nBAD\r\nx BAD", []protocol.Range{rng(1, 0, 1, 3), rng(2, 2, 2, 5)}},
		{"invalid utf-8 counts as one unit", "\xff\xfeBAD", []protocol.Range{rng(0, 2, 0, 5)}},
	}
	c := startServer(t, hooks{})
	c.initialize(nil)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri := fmt.Sprintf("file:///tmp/utf16-%d.entitlements", i)
			c.open(uri, tt.text, 1)
			var got []protocol.Range
			for _, d := range c.waitVersion(uri, 1) {
				got = append(got, d.Range)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ranges = %v, want %v", got, tt.want)
			}
			if !strings.Contains(tt.text, "\r") && !strings.Contains(tt.text, "\xff") {
				// Cross-check with the independent converter.
				for j, off := range indexes(tt.text, "BAD") {
					if p := utf16Pos(tt.text, off); j < len(got) && p != got[j].Start {
						t.Errorf("BAD #%d starts at %v, independent conversion says %v", j, got[j].Start, p)
					}
				}
			}
		})
	}
}

// TestStaleVersionsDropped: while version 1 is being analysed, versions 2
// and 3 arrive; only the latest is published after that.
func TestStaleVersionsDropped(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	c := startServer(t, hooks{run: func(doc *plistxml.Document, opts rules.Options) []rules.Finding {
		if strings.Contains(string(doc.Src), "SLOW") {
			entered <- struct{}{}
			<-release
		}
		return fakeRun(doc, opts)
	}})
	c.initialize(nil)
	uri := "file:///tmp/stale.entitlements"
	c.open(uri, "SLOW BAD", 1)
	<-entered
	c.change(uri, "SLOW BAD BAD", 2)
	c.change(uri, "BAD BAD BAD", 3)
	// A hover and symbols are answered while the analysis is blocked.
	c.mustCall(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil)
	var syms []any
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &syms)
	close(release)
	if d := c.waitVersion(uri, 3); len(d) != 3 {
		t.Fatalf("v3 diagnostics = %+v", d)
	}
	for _, p := range c.publishesFor(uri) {
		if p.Version != nil && *p.Version != 3 {
			t.Errorf("stale version %d was published", *p.Version)
		}
	}
}

func TestAnalysisPanic(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/boom.entitlements"
	c.open(uri, "BOOM", 1)
	d := c.waitVersion(uri, 1)
	if len(d) != 1 || d[0].Code != codeInternalError || !strings.Contains(d[0].Message, "BOOM") {
		t.Fatalf("diagnostics after a rule panic = %+v", d)
	}
	c.change(uri, "BAD", 2)
	if d := c.waitVersion(uri, 2); len(d) != 1 || d[0].Code != "fake-bad" {
		t.Fatalf("the server did not recover: %+v", d)
	}
	var actions []protocol.CodeAction
	c.change(uri, "BOOM", 3)
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil), &actions)
	if len(actions) != 0 {
		t.Errorf("code actions on a crashed analysis: %+v", actions)
	}
}

func TestTooLarge(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		InitializationOptions: map[string]any{"maxFileSize": 64}})
	uri := "file:///tmp/huge.entitlements"
	big := strings.Repeat("BAD\n", 100)
	c.open(uri, big, 1)
	d := c.waitVersion(uri, 1)
	// The same finding as `entitlint check` reports for such a file.
	want := rules.Check([]byte(big), rules.Options{MaxFileSize: 64}).Findings
	if len(d) != 1 || len(want) != 1 || d[0].Code != want[0].Rule || d[0].Message != want[0].Message ||
		d[0].Range != rng(0, 0, 0, 0) || !strings.Contains(d[0].Message, "400 bytes") {
		t.Fatalf("too-large diagnostics = %+v", d)
	}
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 3), nil), &actions)
	if len(actions) != 0 {
		t.Errorf("code actions on a document that is too large: %d", len(actions))
	}
	c.change(uri, "BAD", 2)
	if d := c.waitVersion(uri, 2); len(d) != 1 || d[0].Code != "fake-bad" {
		t.Fatalf("small again: %+v", d)
	}
}

// TestUntitled: documents without a file path are linted, with the
// workspace root's configuration.
func TestUntitled(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".entitlint.json"), `{"platforms": ["macos"], "distribution": "developer-id"}`)
	c := startServer(t, hooks{})
	// The deprecated rootUri: what older clients send instead of workspace folders.
	c.mustCall(protocol.MethodInitialize, map[string]any{"capabilities": clientCapabilities(), "rootUri": fileURI(root)}, nil)
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	for _, uri := range []string{"untitled:Untitled-1", "git:/repo/App.entitlements?ref=HEAD", "not a uri at all"} {
		c.open(uri, "BAD OPTS", 1)
		d := c.waitVersion(uri, 1)
		if len(d) != 2 || d[1].Message != "platforms=macos distribution=developer-id" {
			t.Errorf("%s: diagnostics = %+v", uri, d)
		}
		var actions []protocol.CodeAction
		c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil), &actions)
		if len(actions) == 0 || actions[0].Edit == nil || len(actions[0].Edit.Changes[protocol.DocumentURI(uri)]) == 0 {
			t.Errorf("%s: code actions = %+v", uri, actions)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileURI(path string) string { return "file://" + filepath.ToSlash(path) }

// TestManyDocumentsConcurrently opens and edits documents in parallel from
// several goroutines (run with -race).
func TestManyDocumentsConcurrently(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			uri := fmt.Sprintf("file:///tmp/many-%d.entitlements", i)
			c.open(uri, "BAD", 1)
			for v := int32(2); v <= 10; v++ {
				c.change(uri, strings.Repeat("BAD ", int(v)), v)
				_ = c.call(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil), nil)
			}
		}(i)
	}
	wg.Wait()
	for i := 0; i < 8; i++ {
		uri := fmt.Sprintf("file:///tmp/many-%d.entitlements", i)
		if d := c.waitVersion(uri, 10); len(d) != 10 {
			t.Errorf("%s: %d diagnostics, want 10", uri, len(d))
		}
	}
}
