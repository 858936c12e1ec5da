package lsp

import (
	"bytes"
	"context"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

// Completion offers, from the catalog:
//   - inside <key>…</key> at the top level: the entitlement keys for the
//     target platforms that the dict does not have yet;
//   - after a </key>: the value element the key's type needs;
//   - between entries of the top-level dict: whole <key>…</key> entries
//     with their value.
//
// The context is found in the raw text, because the document is usually
// half-typed while completing; the tree only says which keys exist.
func (s *server) Completion(ctx context.Context, params *protocol.CompletionParams) (*protocol.CompletionList, error) {
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	snap := s.requestSnapshot(ctx, params.TextDocument.URI)
	if snap == nil {
		return list, nil
	}
	if snap.tooLarge() {
		return list, nil
	}
	off := snap.offset(params.Position)
	doc := snap.parsed()
	if doc == nil {
		doc = &plistxml.Document{}
	}
	loc := locate(doc, off)
	if kc := inKey(snap.text, off); kc != nil {
		if loc.entry == nil || loc.entry == loc.top { // not a key of a nested dict
			list.Items = s.keyItems(snap, doc, loc.entry, kc)
		}
	} else if vc := afterKey(snap.text, off); vc != nil {
		key := vc.key
		if e := entryEndingAt(doc, vc.keyEnd); e != nil {
			key = e.Key // decoded (entities resolved)
		}
		list.Items = s.valueItems(snap, key, vc.replace)
	} else if sp, ok := betweenEntries(snap.text, doc, loc, off); ok {
		list.Items = s.entryItems(snap, doc, sp)
	}
	return list, ctx.Err()
}

// keyContext is a key being typed: replace covers the key text.
type keyContext struct {
	replace plistxml.Span
	typed   string // from the start of the key text to the cursor
	closed  bool   // "</key>" follows
}

// inKey reports whether off is in the text of a <key> element on its line.
func inKey(src []byte, off int) *keyContext {
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	i := bytes.LastIndex(src[lineStart:off], []byte("<key>"))
	if i < 0 {
		return nil
	}
	start := lineStart + i + len("<key>")
	if bytes.ContainsAny(src[start:off], "<>") {
		return nil
	}
	end := off
	for end < len(src) && src[end] != '<' && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	closed := bytes.HasPrefix(src[end:], []byte("</key>"))
	for end > off && (src[end-1] == ' ' || src[end-1] == '\t') && !closed {
		end--
	}
	return &keyContext{replace: plistxml.Span{Start: start, End: end}, typed: string(src[start:off]), closed: closed}
}

// valueContext is a value about to be typed after a key.
type valueContext struct {
	replace plistxml.Span // the partly typed tag ("<tr"), possibly empty
	key     string        // raw key text
	keyEnd  int           // offset just after "</key>"
}

// afterKey reports whether off follows a "</key>", with only white space
// and a partly typed tag in between, and no value after it yet.
func afterKey(src []byte, off int) *valueContext {
	start := partialTag(src, off)
	k := start
	for k > 0 && isSpace(src[k-1]) {
		k--
	}
	if !bytes.HasSuffix(src[:k], []byte("</key>")) {
		return nil
	}
	if start == off && hasValueNext(src[off:]) {
		return nil // the key has its value already
	}
	keyEnd := k
	open := bytes.LastIndex(src[:keyEnd-len("</key>")], []byte("<key>"))
	if open < 0 {
		return nil
	}
	key := string(src[open+len("<key>") : keyEnd-len("</key>")])
	return &valueContext{replace: plistxml.Span{Start: start, End: off}, key: key, keyEnd: keyEnd}
}

// partialTag returns where a partly typed start tag ("<", "<tr", "<ke")
// before off begins, or off when there is none.
func partialTag(src []byte, off int) int {
	j := off
	for j > 0 && (src[j-1] >= 'a' && src[j-1] <= 'z') {
		j--
	}
	if j > 0 && src[j-1] == '<' {
		return j - 1
	}
	return off
}

var valueTags = []string{"<true", "<false", "<string", "<array", "<dict", "<integer", "<real", "<date", "<data"}

func hasValueNext(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	for _, t := range valueTags {
		if bytes.HasPrefix(rest, []byte(t)) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// entryEndingAt finds the top-level entry whose </key> ends at off.
func entryEndingAt(doc *plistxml.Document, off int) *plistxml.Entry {
	if doc.Root == nil || doc.Root.Kind != plistxml.Dict {
		return nil
	}
	for _, e := range doc.Root.Entries() {
		if e.KeySpan.End == off {
			return e
		}
	}
	return nil
}

// betweenEntries reports whether off is in the top-level dict outside any
// entry, and returns the partly typed tag to replace.
func betweenEntries(src []byte, doc *plistxml.Document, loc location, off int) (plistxml.Span, bool) {
	root := doc.Root
	if root == nil || root.Kind != plistxml.Dict || loc.top != nil || loc.dict != root {
		return plistxml.Span{}, false
	}
	if !root.OpenTag().IsValid() || off < root.OpenTag().End || (root.CloseTag().IsValid() && off > root.CloseTag().Start) {
		return plistxml.Span{}, false
	}
	start := partialTag(src, off)
	if k := start; k > 0 {
		for k > 0 && isSpace(src[k-1]) {
			k--
		}
		if k > 0 && src[k-1] != '>' {
			return plistxml.Span{}, false // in the middle of some text
		}
	}
	return plistxml.Span{Start: start, End: off}, true
}

// candidateKeys are the real keys for the configured platforms (all keys
// when none is configured) that the top-level dict does not have, except
// the one being edited.
func candidateKeys(c *catalog.Catalog, targets []string, doc *plistxml.Document, editing *plistxml.Entry) []*catalog.Key {
	present := map[string]bool{}
	if doc.Root != nil && doc.Root.Kind == plistxml.Dict {
		for _, e := range doc.Root.Entries() {
			if e != editing {
				present[e.Key] = true
			}
		}
	}
	var keys []*catalog.Key
	if len(targets) == 0 {
		keys = c.Keys()
	} else {
		seen := map[string]bool{}
		for _, t := range targets {
			for _, k := range c.KeysFor(catalog.Platform(t)) {
				if !seen[k.Key] {
					seen[k.Key] = true
					keys = append(keys, k)
				}
			}
		}
	}
	out := keys[:0]
	for _, k := range keys {
		if !present[k.Key] {
			out = append(out, k)
		}
	}
	return out
}

// rank sorts prefix matches first, then keys containing the typed text,
// then the rest; deprecated keys last.
func rank(k *catalog.Key, typed string) string {
	key, t := strings.ToLower(k.Key), strings.ToLower(typed)
	r := "2"
	switch {
	case strings.HasPrefix(key, t):
		r = "0"
	case strings.Contains(key, t):
		r = "1"
	}
	if k.Deprecated != nil {
		r = "3"
	}
	return r + k.Key
}

func (s *server) keyItems(snap *snapshot, doc *plistxml.Document, editing *plistxml.Entry, kc *keyContext) []protocol.CompletionItem {
	targets := snap.conf.opts.Targets.Platforms
	r := snap.rangeOf(kc.replace)
	var items []protocol.CompletionItem
	for _, k := range candidateKeys(snap.catalog(), targets, doc, editing) {
		text := k.Key
		if !kc.closed {
			text += "</key>"
		}
		items = append(items, s.keyItem(k, targets, kc.typed, &protocol.TextEdit{Range: r, NewText: text}, protocol.InsertTextFormatPlainText))
	}
	return items
}

func (s *server) keyItem(k *catalog.Key, targets []string, typed string, edit *protocol.TextEdit, format protocol.InsertTextFormat) protocol.CompletionItem {
	var doc strings.Builder
	writeKeyDoc(&doc, k, targets)
	item := protocol.CompletionItem{
		Label:            k.Key,
		Kind:             protocol.CompletionItemKindProperty,
		Detail:           k.Title,
		Documentation:    s.markup(doc.String(), s.caps.markdownCompletion),
		SortText:         rank(k, typed),
		FilterText:       k.Key,
		TextEdit:         edit,
		InsertTextFormat: format,
		InsertTextMode:   protocol.InsertTextModeAsIs,
	}
	if k.Deprecated != nil {
		item.Tags = []protocol.CompletionItemTag{protocol.CompletionItemTagDeprecated}
	}
	return item
}

// entryItems complete a whole entry: <key>…</key> and a value of the right
// type on the next line.
func (s *server) entryItems(snap *snapshot, doc *plistxml.Document, replace plistxml.Span) []protocol.CompletionItem {
	targets := snap.conf.opts.Targets.Platforms
	indent := lineIndent(snap.text, replace.Start)
	typed := strings.TrimPrefix(strings.TrimPrefix(string(snap.text[replace.Start:replace.End]), "<"), "key")
	r := snap.rangeOf(replace)
	format := protocol.InsertTextFormatPlainText
	if s.caps.snippets {
		format = protocol.InsertTextFormatSnippet
	}
	var items []protocol.CompletionItem
	for _, k := range candidateKeys(snap.catalog(), targets, doc, nil) {
		vals := valueSnippets(k)
		text := "<key>" + snippetEscape(xmlEscape(k.Key)) + "</key>\n" + indent + reindent(vals[0].snippet, indent)
		if !s.caps.snippets {
			text = plainText(text)
		}
		item := s.keyItem(k, targets, typed, &protocol.TextEdit{Range: r, NewText: text}, format)
		item.FilterText = "<key>" + k.Key
		items = append(items, item)
	}
	return items
}

// valueItems complete the value of key.
func (s *server) valueItems(snap *snapshot, key string, replace plistxml.Span) []protocol.CompletionItem {
	indent := lineIndent(snap.text, replace.Start)
	r := snap.rangeOf(replace)
	var vals []valueSnippet
	if k, ok := snap.catalog().Lookup(key); ok {
		vals = valueSnippets(k)
	} else {
		vals = genericSnippets
	}
	items := make([]protocol.CompletionItem, 0, len(vals))
	for i, v := range vals {
		text, format := reindent(v.snippet, indent), protocol.InsertTextFormatSnippet
		if !s.caps.snippets || !strings.Contains(text, "$") {
			text, format = plainText(text), protocol.InsertTextFormatPlainText
		}
		kind := protocol.CompletionItemKindValue
		if strings.Contains(text, "\n") {
			kind = protocol.CompletionItemKindSnippet
		}
		item := protocol.CompletionItem{
			Label:            v.label,
			Kind:             kind,
			Detail:           v.detail,
			SortText:         string(rune('a'+i/26)) + string(rune('a'+i%26)),
			FilterText:       v.label,
			Preselect:        i == 0,
			TextEdit:         &protocol.TextEdit{Range: r, NewText: text},
			InsertTextFormat: format,
			InsertTextMode:   protocol.InsertTextModeAsIs,
		}
		if v.doc != "" {
			item.Documentation = s.markup(v.doc, s.caps.markdownCompletion)
		}
		items = append(items, item)
	}
	return items
}

// valueSnippet is one way to write a value. snippet uses LSP snippet
// syntax with "\t" for one level of indentation and "\n" for new lines.
type valueSnippet struct {
	label, detail, doc, snippet string
}

var genericSnippets = []valueSnippet{
	{"<true/>", "Boolean", "", "<true/>"},
	{"<false/>", "Boolean", "", "<false/>"},
	{"<string>…</string>", "String", "", "<string>$1</string>"},
	{"<array>…</array>", "Array of strings", "", "<array>\n\t<string>$1</string>\n</array>"},
	{"<dict>…</dict>", "Dictionary", "", "<dict>\n\t$1\n</dict>"},
	{"<integer>…</integer>", "Integer", "", "<integer>$1</integer>"},
}

// valueSnippets lists the values that fit a key's type, the most likely
// first: enumerated values, then the empty container.
func valueSnippets(k *catalog.Key) []valueSnippet {
	var out []valueSnippet
	str := func(v catalog.Value) valueSnippet {
		s := "<string>" + xmlEscape(v.Value) + "</string>"
		return valueSnippet{s, k.Title, v.Summary, snippetEscape(s)}
	}
	arr := func(v catalog.Value) valueSnippet {
		s := "<string>" + xmlEscape(v.Value) + "</string>"
		return valueSnippet{"<array>" + s + "</array>", k.Title, v.Summary, "<array>\n\t" + snippetEscape(s) + "\n</array>"}
	}
	emptyString := valueSnippet{"<string>…</string>", k.Title, "", "<string>$1</string>"}
	emptyArray := valueSnippet{"<array>…</array>", k.Title, "", "<array>\n\t<string>$1</string>\n</array>"}
	switch k.Type {
	case catalog.TypeBoolean:
		out = append(out, valueSnippet{"<true/>", k.Title, "", "<true/>"}, valueSnippet{"<false/>", k.Title, "", "<false/>"})
	case catalog.TypeString:
		for _, v := range k.Values {
			out = append(out, str(v))
		}
		if len(k.Values) == 0 || k.ValuesOpen {
			out = append(out, emptyString)
		}
	case catalog.TypeInteger:
		out = append(out, valueSnippet{"<integer>…</integer>", k.Title, "", "<integer>$1</integer>"})
	case catalog.TypeArrayOfStrings:
		for _, v := range k.Values {
			out = append(out, arr(v))
		}
		out = append(out, emptyArray)
	case catalog.TypeStringOrArray:
		for _, v := range k.Values {
			out = append(out, str(v))
		}
		out = append(out, emptyString, emptyArray)
	case catalog.TypeDictionary:
		out = append(out, valueSnippet{"<dict>…</dict>", k.Title, "", "<dict>\n\t$1\n</dict>"})
	case catalog.TypeArrayOfDictionaries:
		out = append(out, valueSnippet{"<array>…</array>", k.Title, "", "<array>\n\t<dict>\n\t\t$1\n\t</dict>\n</array>"})
	default:
		out = genericSnippets
	}
	if len(out) == 0 {
		out = genericSnippets
	}
	return out
}

// lineIndent returns the white space that starts off's line.
func lineIndent(src []byte, off int) string {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < off && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// reindent puts indent (and one more level per "\t" in the template) at
// the start of each continuation line. One level is a tab, or the line's
// own indentation when that is spaces.
func reindent(snippet, indent string) string {
	unit := "\t"
	if indent != "" && strings.Trim(indent, " ") == "" {
		unit = indent
	}
	lines := strings.Split(snippet, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		lines[i] = indent + strings.Repeat(unit, n) + l[n:]
	}
	return strings.Join(lines, "\n")
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// snippetEscape escapes the characters that are special in snippets.
func snippetEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "$", `\$`, "}", `\}`).Replace(s)
}

// plainText turns a snippet into the text it inserts with empty
// placeholders, for clients without snippet support.
func plainText(snippet string) string {
	var b strings.Builder
	for i := 0; i < len(snippet); i++ {
		c := snippet[i]
		switch {
		case c == '\\' && i+1 < len(snippet):
			i++
			b.WriteByte(snippet[i])
		case c == '$' && i+1 < len(snippet) && snippet[i+1] >= '0' && snippet[i+1] <= '9':
			for i+1 < len(snippet) && snippet[i+1] >= '0' && snippet[i+1] <= '9' {
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
