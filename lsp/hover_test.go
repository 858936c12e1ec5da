package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/catalog"
)

// cat is the catalog the tests take their facts from.
func cat() *catalog.Catalog { return catalog.Builtin() }

// firstKey returns a catalog key satisfying pred, or skips the test.
func firstKey(t *testing.T, what string, pred func(k *catalog.Key) bool) *catalog.Key {
	t.Helper()
	for _, k := range cat().Keys() {
		if pred(k) {
			return k
		}
	}
	t.Skipf("the catalog has no key with %s", what)
	return nil
}

func wantAll(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: missing %q in:\n%s", what, w, got)
		}
	}
}

func TestKeyHover(t *testing.T) {
	version := "entitlint catalog " + cat().Version()

	k := firstKey(t, "values, a capability and platforms", func(k *catalog.Key) bool {
		return len(k.Values) > 1 && k.Capability != "" && len(k.Platforms) > 0 && k.DocURL != ""
	})
	md := keyHover(cat(), k.Key, nil)
	wants := []string{"### " + k.Title, "`" + k.Key + "`", k.Summary, "Signing & Capabilities → " + k.Capability,
		"`" + k.Values[0].Value + "`: " + k.Values[0].Summary, "[Apple documentation](" + k.DocURL + ")", version}
	for p, pi := range k.Platforms {
		wants = append(wants, p.DisplayName()+" "+pi.Since+"+")
	}
	if r := restrictionNote(k.Restriction); r != "" {
		wants = append(wants, r)
	}
	wantAll(t, k.Key, md, wants...)

	k = firstKey(t, "Info.plist keys", func(k *catalog.Key) bool { return len(k.InfoPlist) > 0 })
	wantAll(t, k.Key, keyHover(cat(), k.Key, nil), "**Info.plist:**", "`"+k.InfoPlist[0]+"`")

	k = firstKey(t, "a deprecation", func(k *catalog.Key) bool { return k.Deprecated != nil })
	wantAll(t, k.Key, keyHover(cat(), k.Key, nil), "**Deprecated.**")

	k = firstKey(t, "no tvOS availability", func(k *catalog.Key) bool { return !k.AvailableOn(catalog.TVOS) })
	wantAll(t, k.Key, keyHover(cat(), k.Key, []string{"tvos"}), "Not documented for tvOS")
}

func TestMistakeHover(t *testing.T) {
	c := cat()
	for _, h := range c.Hallucinations() {
		md := keyHover(cat(), h.Key, nil)
		wantAll(t, h.Key, md, "is not an entitlement", h.Reason)
		switch h.Kind {
		case catalog.KindReplace:
			if h.Replacement != "" {
				wantAll(t, h.Key, md, "**Use instead:** `"+h.Replacement+"`")
			}
		case catalog.KindInfoPlist:
			if h.InfoPlist != nil {
				wantAll(t, h.Key, md, "Move it to Info.plist")
			}
		case catalog.KindRemove, catalog.KindAppIDService:
			wantAll(t, h.Key, md, "Remove it")
		}
	}
	if ps := c.PrivatePrefixes(); len(ps) > 0 {
		key := ps[0].Prefix + "made-up"
		wantAll(t, key, keyHover(cat(), key, nil), "Apple-private", ps[0].Reason)
	}
	if ik := c.InfoPlistKeys(); len(ik) > 0 {
		if _, isMistake := c.Hallucination(ik[0].Key); !isMistake {
			wantAll(t, ik[0].Key, keyHover(cat(), ik[0].Key, nil), "belongs in Info.plist", ik[0].Summary)
		}
	}
	k := firstKey(t, "a long name", func(k *catalog.Key) bool { return len(k.Key) > 20 })
	typo := k.Key[:len(k.Key)-2] + k.Key[len(k.Key)-1:] // drop one letter
	if _, real := c.Lookup(typo); !real {
		wantAll(t, typo, keyHover(cat(), typo, nil), "is not a known entitlement", "Did you mean", "`"+k.Key+"`")
	}
	wantAll(t, "nonsense", keyHover(cat(), "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.qqqqqq", nil), "is not a known entitlement", "Check the spelling")
}

func TestValueHover(t *testing.T) {
	k := firstKey(t, "enumerated string values", func(k *catalog.Key) bool { return k.Type == catalog.TypeString && len(k.Values) > 1 })
	v := k.Values[1]
	wantAll(t, "value", valueHover(cat(), k.Key, v.Value, nil), "### `"+v.Value+"`", "value of `"+k.Key+"`", v.Summary)
	wantAll(t, "bad value", valueHover(cat(), k.Key, "no-such-value", nil), "is not a documented value", "`"+k.Values[0].Value+"`")
	k = firstKey(t, "no enumerated values", func(k *catalog.Key) bool { return k.Type == catalog.TypeString && len(k.Values) == 0 })
	wantAll(t, "free value", valueHover(cat(), k.Key, "whatever", nil), "### "+k.Title)
}

func TestMarkupPlainText(t *testing.T) {
	s := &server{}
	got := s.markup("### Title\n`key` **bold**", false)
	if got.Kind != protocol.PlainText || got.Value != "Title\nkey bold" {
		t.Errorf("plain text = %+v", got)
	}
}

// TestHoverRequest needs the real parser to find the key under the cursor.
func TestHoverRequest(t *testing.T) {
	requireParser(t)
	k := firstKey(t, "enumerated string values", func(k *catalog.Key) bool { return k.Type == catalog.TypeString && len(k.Values) > 0 })
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/hover.entitlements"
	text := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n" +
		"\t<!-- 😀 日本 -->\t<key>" + k.Key + "</key>\n" +
		"\t<string>" + k.Values[0].Value + "</string>\n" +
		"\t<key>made.up.key</key>\n\t<true/>\n</dict>\n</plist>\n"
	c.open(uri, text, 1)
	c.waitVersion(uri, 1)
	keyOff := strings.Index(text, k.Key) + 2
	tests := []struct {
		name string
		off  int
		want string
		rng  string // text the hover range covers
	}{
		{"on the key", keyOff, "### " + k.Title, "<key>" + k.Key + "</key>"},
		{"on the key's tag", strings.Index(text, "<key>"+k.Key), "### " + k.Title, "<key>" + k.Key + "</key>"},
		{"on the value", strings.Index(text, k.Values[0].Value+"</string>"), k.Values[0].Summary, "<string>" + k.Values[0].Value + "</string>"},
		{"on an unknown key", strings.Index(text, "made.up"), "is not a known entitlement", "<key>made.up.key</key>"},
		{"on a boolean of an unknown key", strings.Index(text, "<true/>") + 1, "is not a known entitlement", "<true/>"},
		{"outside any entry", strings.Index(text, "<plist") + 2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h *protocol.Hover
			pos := utf16Pos(text, tt.off)
			c.mustCall(protocol.MethodTextDocumentHover, hoverParams(uri, pos.Line, pos.Character), &h)
			if tt.want == "" {
				if h != nil {
					t.Errorf("hover = %+v, want none", h)
				}
				return
			}
			if h == nil {
				t.Fatal("no hover")
			}
			if h.Contents.Kind != protocol.Markdown || !strings.Contains(h.Contents.Value, tt.want) {
				t.Errorf("hover = %q, want %q", h.Contents.Value, tt.want)
			}
			if h.Range == nil {
				t.Fatal("hover without range")
			}
			if got := text[utf16Offset(text, h.Range.Start):utf16Offset(text, h.Range.End)]; got != tt.rng {
				t.Errorf("hover range covers %q, want %q", got, tt.rng)
			}
		})
	}
}
