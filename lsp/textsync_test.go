package lsp

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/textsync"
	"github.com/entitlint/entitlint/textsync/synctest"
)

// event is the protocol form of a textsync change (what a client sends).
func event(c textsync.Change) changeEvent {
	e := changeEvent{Text: c.Text}
	if r := c.Range; r != nil {
		e.Range = &protocol.Range{
			Start: protocol.Position{Line: uint32(r.Start.Line), Character: uint32(r.Start.Character)},
			End:   protocol.Position{Line: uint32(r.End.Line), Character: uint32(r.End.Character)},
		}
	}
	return e
}

func ranged(l1, c1, l2, c2 uint32, text string) changeEvent {
	return changeEvent{Range: &protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}, Text: text}
}

// refApply applies the changes with textsync's reference model.
func refApply(text string, events []changeEvent) string {
	return synctest.Apply(text, toChanges(events))
}

// editFor is the ranged change an editor sends to turn before into after.
func editFor(before, after string) changeEvent { return event(synctest.Edit(before, after)) }

// TestIncrementalSync edits a document through the server the way editors
// do, with ranged changes, and checks that the text the server analyses is
// the client's, and its diagnostics those of a fresh analysis of that text.
func TestIncrementalSync(t *testing.T) {
	requireParser(t)
	var mu sync.Mutex
	var analysed []byte
	var roots []*plistxml.Node
	c := startServer(t, hooks{run: func(doc *plistxml.Document, opts rules.Options) []rules.Finding {
		mu.Lock()
		analysed = doc.Src
		roots = append(roots, doc.Root)
		mu.Unlock()
		return rules.Run(doc, opts)
	}})
	res := c.initialize(nil)
	if got := res.Capabilities.TextDocumentSync.(map[string]any)["change"]; got != float64(protocol.TextDocumentSyncKindIncremental) {
		t.Fatalf("textDocumentSync.change = %v, want incremental (2)", got)
	}
	const uri = "file:///tmp/sync/App.entitlements"
	text := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<plist version=\"1.0\">\r\n<dict>\r\n" +
		"\t<key>com.apple.developer.app-groups</key>\r\n\t<array><string>group.é😀</string></array>\r\n" +
		"</dict>\r\n</plist>\r\n"
	c.open(uri, text, 1)
	c.waitVersion(uri, 1)
	version := int32(1)
	fresh := &server{configs: newConfigStore(nil)}
	step := func(name, after string, changes ...changeEvent) {
		t.Helper()
		if ref := refApply(text, changes); ref != after {
			t.Fatalf("%s: the changes give %q, the test expects %q", name, ref, after)
		}
		version++
		c.edit(uri, version, changes...)
		got := c.waitVersion(uri, version)
		mu.Lock()
		server := string(analysed)
		mu.Unlock()
		if server != after {
			t.Fatalf("%s: the server analysed\n%q\nthe client has\n%q", name, server, after)
		}
		want := fresh.diagnostics(fresh.newSnapshot(uri, version, []byte(after)), nil)
		if g, w := fmt.Sprint(diagSummary(got)), fmt.Sprint(diagSummary(want)); g != w {
			t.Fatalf("%s: diagnostics\n%s\nwant\n%s", name, g, w)
		}
		if len(got) == 0 && name != "replace the whole text, then edit it" {
			t.Fatalf("%s: no diagnostics: the test document should have some", name)
		}
		text = after
	}
	fixed := strings.Replace(text, "com.apple.developer.app-groups", "com.apple.security.application-groups", 1)
	step("rename the key", fixed, editFor(text, fixed))
	step("type after the emoji, one change per key", strings.Replace(text, "😀<", "😀ab<", 1),
		ranged(4, 25, 4, 25, "a"), ranged(4, 26, 4, 26, "b"))
	step("break the XML", strings.Replace(text, "</array>", "</arr", 1), ranged(4, 41, 4, 44, ""))
	step("repair it and add an entry in one notification",
		strings.Replace(strings.Replace(text, "</arr", "</array>", 1), "</dict>", "\t<key>aps-environment</key>\r\n\t<string>production</string>\r\n</dict>", 1),
		ranged(4, 41, 4, 41, "ay>"), ranged(5, 0, 5, 0, "\t<key>aps-environment</key>\r\n\t<string>production</string>\r\n"))
	step("replace the whole text, then edit it", "<plist><dict><key>a</key><true/></dict></plist>",
		changeEvent{Text: "<plist><dict></dict></plist>"}, ranged(0, 13, 0, 13, "<key>a</key><true/>"))

	// Each version was analysed before the next arrived, so each tree was
	// built in the memory of the previous one (snapshot.release).
	mu.Lock()
	defer mu.Unlock()
	for v, root := range roots {
		if root == nil || root != roots[0] {
			t.Errorf("version %d's tree is at %p, version 1's at %p: the memory was not reused", v+1, root, roots[0])
		}
	}
}

// diagSummary keeps what identifies a diagnostic.
func diagSummary(diags []protocol.Diagnostic) []string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = fmt.Sprintf("%v %v %s", d.Range, d.Code, d.Message)
	}
	return out
}
