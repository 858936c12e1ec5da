package lsp

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// treeText renders a tree's keys, values and spans: what a request holding
// a snapshot reads.
func treeText(doc *plistxml.Document) string {
	var b strings.Builder
	plistxml.Walk(doc.Root, func(n *plistxml.Node) bool {
		fmt.Fprintf(&b, "%v %v %q;", n.Kind, n.Span(), n.Text)
		for _, e := range n.Entries() {
			fmt.Fprintf(&b, "%q %v;", e.Key, e.KeyText)
		}
		return true
	})
	return b.String()
}

// TestSnapshotTreeMemory follows a document's trees through the reference
// counts: a tree is rebuilt in the memory of a snapshot only once nothing
// holds that snapshot, and a held snapshot's tree stays intact while newer
// versions are parsed.
func TestSnapshotTreeMemory(t *testing.T) {
	const uri = "file:///tmp/App.entitlements"
	conf := newConfigStore(nil).forURI(uri)
	d := &document{}
	version := func(n int) *snapshot {
		text := fmt.Sprintf("<plist><dict><key>k%d</key><array><string>v%d</string><true/></array></dict></plist>", n, n)
		snap := &snapshot{uri: uri, version: int32(n), text: []byte(text), conf: conf, run: rules.Run, owner: d}
		snap.refs.Store(1) // the document's
		return snap
	}

	v1 := version(1)
	held := v1.acquire() // a request
	before := treeText(held.parsed())
	v1.release() // replaced by v2: the request still holds it

	v2 := version(2)
	v2.parsed()
	if v2.doc.Root == v1.doc.Root {
		t.Fatal("version 2 was built in the memory of version 1, which a request holds")
	}
	v2.release()

	v3 := version(3) // built where version 2 was
	if v3.parsed().Root != v2.doc.Root && v2.doc.Root != nil {
		t.Errorf("version 3 was not built in version 2's memory")
	}
	if v2.doc.Root != nil {
		t.Errorf("version 2's Document still shows a tree after its memory was reused")
	}
	if got := treeText(held.doc); got != before {
		t.Fatalf("the tree of the held version 1 changed while versions 2 and 3 were parsed:\n%s\nwas\n%s", got, before)
	}
	root1 := held.doc.Root
	v3.release()
	held.release() // the request is done: version 1's memory is the spare now

	v4 := version(4)
	if got := v4.parsed().Root; got != root1 {
		t.Errorf("version 4 is at %p, not in the memory version 1 left (%p)", got, root1)
	}
	findings, crash := v4.analysis()
	want := rules.Run(plistxml.Parse(v4.text), conf.opts)
	if crash != nil || fmt.Sprint(findings) != fmt.Sprint(want) {
		t.Errorf("findings in reused memory:\n%v\nfresh:\n%v", findings, want)
	}
}

// A request holds its snapshot until its reply is written, not only until
// its handler returns: the reply is encoded afterwards, and it carries
// strings that are views of the snapshot's text (here, the key names of
// documentSymbol). Two edits arrive between the handler and the reply; had
// the request let go of its version, the second edit would have been built
// in that version's text and the reply would name the keys of version 3.
func TestReplyKeepsItsSnapshotText(t *testing.T) {
	requireParser(t)
	const uri = "file:///tmp/reply/App.entitlements"
	text := "<plist>\n<dict>\n\t<key>com.example.alpha</key>\n\t<true/>\n</dict>\n</plist>\n"
	rename := func(name string) changeEvent {
		r := protocol.Range{Start: protocol.Position{Line: 2, Character: 18}, End: protocol.Position{Line: 2, Character: 23}}
		return changeEvent{Range: &r, Text: name}
	}
	var c *testClient
	var once sync.Once
	c = startServer(t, hooks{beforeReply: func(method string) {
		if method != protocol.MethodTextDocumentDocumentSymbol {
			return
		}
		once.Do(func() {
			c.edit(uri, 2, rename("bravo"))
			c.waitVersion(uri, 2)
			c.edit(uri, 3, rename("charl"))
			c.waitVersion(uri, 3)
		})
	}})
	c.initialize(nil)
	c.open(uri, text, 1)
	c.waitVersion(uri, 1)
	var symbols []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol,
		&protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &symbols)
	if len(symbols) != 1 || symbols[0].Name != "com.example.alpha" {
		t.Fatalf("symbols %+v, want the one key of version 1, com.example.alpha", symbols)
	}
	// And the server went on with the latest text.
	var now []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol,
		&protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &now)
	if len(now) != 1 || now[0].Name != "com.example.charl" {
		t.Fatalf("symbols after the edits %+v, want com.example.charl", now)
	}
}
