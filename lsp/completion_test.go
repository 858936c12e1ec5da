package lsp

import (
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/catalog"
)

// complete opens text with "|" marking the cursor and asks for completions.
func (c *testClient) complete(uri, marked string) (string, *protocol.CompletionList) {
	c.t.Helper()
	off := strings.Index(marked, "|")
	text := marked[:off] + marked[off+1:]
	c.open(uri, text, 1)
	var list protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}, Position: utf16Pos(text, off)}}, &list)
	return text, &list
}

func find(items []protocol.CompletionItem, label string) *protocol.CompletionItem {
	for i := range items {
		if items[i].Label == label {
			return &items[i]
		}
	}
	return nil
}

func applyItem(t *testing.T, text string, item *protocol.CompletionItem) string {
	t.Helper()
	if item.TextEdit == nil {
		t.Fatalf("%s: no textEdit", item.Label)
	}
	return applyEdits(t, text, []protocol.TextEdit{*item.TextEdit})
}

func TestCompleteKey(t *testing.T) {
	k := firstKey(t, "a dotted key", func(k *catalog.Key) bool { return strings.Count(k.Key, ".") >= 2 && k.Deprecated == nil })
	typed := k.Key[:strings.LastIndex(k.Key, ".")+1]
	c := startServer(t, hooks{})
	c.initialize(nil)

	text, list := c.complete("file:///tmp/ck1.entitlements", "<dict>\n\t<!-- 😀 -->\t<key>"+typed+"|</key>\n</dict>")
	if list.IsIncomplete || len(list.Items) != len(cat().Keys()) {
		t.Errorf("%d items, want all %d keys", len(list.Items), len(cat().Keys()))
	}
	item := find(list.Items, k.Key)
	if item == nil {
		t.Fatalf("%s not offered", k.Key)
	}
	if got := applyItem(t, text, item); !strings.Contains(got, "\t<key>"+k.Key+"</key>\n") {
		t.Errorf("applied: %q", got)
	}
	if item.Kind != protocol.CompletionItemKindProperty || item.Detail != k.Title || !strings.HasPrefix(item.SortText, "0") {
		t.Errorf("item = %+v", item)
	}
	doc, ok := item.Documentation.(map[string]any)
	if !ok || doc["kind"] != "markdown" || !strings.Contains(doc["value"].(string), k.Summary) {
		t.Errorf("documentation = %#v", item.Documentation)
	}
	// Prefix matches sort before the rest.
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].SortText < list.Items[j].SortText })
	if first := list.Items[0].Label; !strings.HasPrefix(first, typed) {
		t.Errorf("first item %q does not start with %q", first, typed)
	}

	// An unclosed key gets its close tag; the typed text is replaced.
	text, list = c.complete("file:///tmp/ck2.entitlements", "<dict>\n\t<key>"+typed+"|   \n</dict>")
	if got := applyItem(t, text, find(list.Items, k.Key)); got != "<dict>\n\t<key>"+k.Key+"</key>   \n</dict>" {
		t.Errorf("applied: %q", got)
	}
	// The cursor in the middle of a key replaces all of it.
	text, list = c.complete("file:///tmp/ck3.entitlements", "<dict>\n\t<key>"+typed+"|zzz</key>\n</dict>")
	if got := applyItem(t, text, find(list.Items, k.Key)); got != "<dict>\n\t<key>"+k.Key+"</key>\n</dict>" {
		t.Errorf("applied: %q", got)
	}
}

func TestCompleteKeyForPlatforms(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		InitializationOptions: map[string]any{"platforms": []string{"tvos"}}})
	_, list := c.complete("file:///tmp/ckp.entitlements", "<dict>\n<key>|</key>\n</dict>")
	want := cat().KeysFor(catalog.TVOS)
	if len(list.Items) != len(want) {
		t.Fatalf("%d items, want the %d tvOS keys", len(list.Items), len(want))
	}
	for _, k := range cat().Keys() {
		if !k.AvailableOn(catalog.TVOS) && find(list.Items, k.Key) != nil {
			t.Errorf("%s is not on tvOS but was offered", k.Key)
		}
	}
}

func TestCompleteValue(t *testing.T) {
	boolKey := firstKey(t, "a boolean", func(k *catalog.Key) bool { return k.Type == catalog.TypeBoolean })
	enumKey := firstKey(t, "enumerated strings", func(k *catalog.Key) bool { return k.Type == catalog.TypeString && len(k.Values) > 1 })
	arrKey := firstKey(t, "an array of strings", func(k *catalog.Key) bool { return k.Type == catalog.TypeArrayOfStrings })
	c := startServer(t, hooks{})
	c.initialize(nil)

	tests := []struct {
		name    string
		marked  string
		label   string
		applied string // the text after applying the item
		format  protocol.InsertTextFormat
	}{
		{"boolean", "<dict>\n\t<key>" + boolKey.Key + "</key>\n\t|\n</dict>", "<true/>",
			"<dict>\n\t<key>" + boolKey.Key + "</key>\n\t<true/>\n</dict>", protocol.InsertTextFormatPlainText},
		{"boolean, typed <f", "<dict>\n\t<key>" + boolKey.Key + "</key>\n\t<f|\n</dict>", "<false/>",
			"<dict>\n\t<key>" + boolKey.Key + "</key>\n\t<false/>\n</dict>", protocol.InsertTextFormatPlainText},
		{"same line", "<dict><key>" + boolKey.Key + "</key>|</dict>", "<true/>",
			"<dict><key>" + boolKey.Key + "</key><true/></dict>", protocol.InsertTextFormatPlainText},
		{"enumerated", "<dict>\n  <key>" + enumKey.Key + "</key>\n  <|\n</dict>", "<string>" + enumKey.Values[1].Value + "</string>",
			"<dict>\n  <key>" + enumKey.Key + "</key>\n  <string>" + enumKey.Values[1].Value + "</string>\n</dict>", protocol.InsertTextFormatPlainText},
		{"array snippet indented", "<dict>\n\t<key>" + arrKey.Key + "</key>\n\t|\n</dict>", "<array>…</array>",
			"<dict>\n\t<key>" + arrKey.Key + "</key>\n\t<array>\n\t\t<string>$1</string>\n\t</array>\n</dict>", protocol.InsertTextFormatSnippet},
		{"unknown key", "<dict>\n\t<key>made.up</key>\n\t|\n</dict>", "<dict>…</dict>",
			"<dict>\n\t<key>made.up</key>\n\t<dict>\n\t\t$1\n\t</dict>\n</dict>", protocol.InsertTextFormatSnippet},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, list := c.complete("file:///tmp/cv"+string(rune('a'+i))+".entitlements", tt.marked)
			item := find(list.Items, tt.label)
			if item == nil {
				t.Fatalf("%q not offered; got %v", tt.label, labels(list.Items))
			}
			if got := applyItem(t, text, item); got != tt.applied {
				t.Errorf("applied:\n%q\nwant\n%q", got, tt.applied)
			}
			if item.InsertTextFormat != tt.format {
				t.Errorf("format = %v, want %v", item.InsertTextFormat, tt.format)
			}
		})
	}

	// No completion when the key has its value, nor in plain text.
	for _, marked := range []string{
		"<dict>\n\t<key>" + boolKey.Key + "</key>|\n\t<true/>\n</dict>",
		"<dict>\n\t<key>" + boolKey.Key + "</key>\n\t<string>ab|c</string>\n</dict>",
	} {
		if _, list := c.complete("file:///tmp/cv-none.entitlements", marked); len(list.Items) != 0 {
			t.Errorf("%q: unexpected items %v", marked, labels(list.Items))
		}
	}
}

func labels(items []protocol.CompletionItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

// TestCompleteWithoutSnippets: a client without snippet support gets plain
// text with the placeholders removed.
func TestCompleteWithoutSnippets(t *testing.T) {
	arrKey := firstKey(t, "an array of strings", func(k *catalog.Key) bool { return k.Type == catalog.TypeArrayOfStrings })
	c := startServer(t, hooks{})
	c.initialize(&protocol.InitializeParams{})
	text, list := c.complete("file:///tmp/cns.entitlements", "<dict>\n\t<key>"+arrKey.Key+"</key>\n\t|\n</dict>")
	item := find(list.Items, "<array>…</array>")
	if item == nil {
		t.Fatalf("no array item in %v", labels(list.Items))
	}
	if item.InsertTextFormat != protocol.InsertTextFormatPlainText {
		t.Errorf("format = %v", item.InsertTextFormat)
	}
	if got := applyItem(t, text, item); got != "<dict>\n\t<key>"+arrKey.Key+"</key>\n\t<array>\n\t\t<string></string>\n\t</array>\n</dict>" {
		t.Errorf("applied: %q", got)
	}
}

func TestSnippetHelpers(t *testing.T) {
	if got := plainText(`<string>$1</string>\$(X)\}\\`); got != `<string></string>$(X)}\` {
		t.Errorf("plainText = %q", got)
	}
	if got := snippetEscape(`$(AppIdentifierPrefix)}\`); got != `\$(AppIdentifierPrefix)\}\\` {
		t.Errorf("snippetEscape = %q", got)
	}
	if got := reindent("<array>\n\t<string>$1</string>\n</array>", "    "); got != "<array>\n        <string>$1</string>\n    </array>" {
		t.Errorf("reindent with spaces = %q", got)
	}
	if got := xmlEscape("a&b<c>"); got != "a&amp;b&lt;c&gt;" {
		t.Errorf("xmlEscape = %q", got)
	}
}

// TestCompleteEntry needs the parser: between entries of the top-level
// dict, whole entries are offered, except keys the dict already has.
func TestCompleteEntry(t *testing.T) {
	requireParser(t)
	boolKey := firstKey(t, "a boolean", func(k *catalog.Key) bool { return k.Type == catalog.TypeBoolean && k.Deprecated == nil })
	present := firstKey(t, "another key", func(k *catalog.Key) bool { return k.Key != boolKey.Key })
	c := startServer(t, hooks{})
	c.initialize(nil)
	head := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>" + present.Key + "</key>\n\t<true/>\n"
	text, list := c.complete("file:///tmp/ce.entitlements", head+"\t<|\n</dict>\n</plist>\n")
	if find(list.Items, present.Key) != nil {
		t.Errorf("%s is already in the dict but was offered", present.Key)
	}
	item := find(list.Items, boolKey.Key)
	if item == nil {
		t.Fatalf("%s not offered", boolKey.Key)
	}
	want := head + "\t<key>" + boolKey.Key + "</key>\n\t<true/>\n</dict>\n</plist>\n"
	if got := applyItem(t, text, item); got != want {
		t.Errorf("applied:\n%q\nwant\n%q", got, want)
	}
	// Keys are offered inside <key> too, without the present ones.
	_, list = c.complete("file:///tmp/ce2.entitlements", head+"\t<key>|</key>\n\t<true/>\n</dict>\n</plist>\n")
	if find(list.Items, present.Key) != nil || len(list.Items) != len(cat().Keys())-1 {
		t.Errorf("%d items; %s offered: %v", len(list.Items), present.Key, find(list.Items, present.Key) != nil)
	}
	// A key inside an entitlement's own dict is not an entitlement.
	_, list = c.complete("file:///tmp/ce3.entitlements", head+"\t<key>x</key>\n\t<dict>\n\t\t<key>|</key>\n\t\t<true/>\n\t</dict>\n</dict>\n</plist>\n")
	if len(list.Items) != 0 {
		t.Errorf("nested key: %d items", len(list.Items))
	}
}
