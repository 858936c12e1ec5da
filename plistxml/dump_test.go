package plistxml

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"
)

// dump renders a document as readable text for golden files: every node with
// its kind, path, span (line:col, 1-based, byte columns) and decoded value,
// then comments and problems with the source text they point at.
func dump(d *Document) string {
	var b strings.Builder
	pos := positioner(d.Src)
	sp := func(s Span) string {
		if !s.IsValid() {
			return "-"
		}
		return pos(s.Start) + "-" + pos(s.End)
	}
	snip := func(s Span) string {
		if !s.IsValid() {
			return ""
		}
		t := string(d.Src[s.Start:s.End])
		if len(t) > 60 {
			t = t[:60] + "…"
		}
		return fmt.Sprintf(" %q", t)
	}
	format := "xml"
	if d.Format == FormatBinary {
		format = "binary"
	}
	fmt.Fprintf(&b, "format: %s\n", format)
	fmt.Fprintf(&b, "xmldecl: %s\ndoctype: %s\nplist: %s\n", sp(d.XMLDecl), sp(d.Doctype), sp(d.Plist))
	b.WriteString("tree:\n")
	var walk func(n *Node, path Path, indent string)
	walk = func(n *Node, path Path, indent string) {
		fmt.Fprintf(&b, "%s%s %s", indent, n.Kind, sp(n.Span()))
		if n.Kind == Invalid {
			fmt.Fprintf(&b, " name=%q", n.Name())
		}
		fmt.Fprintf(&b, " path=%q", path.String())
		if n.CloseTag() == NoSpan && n.Span().IsValid() && n.OpenTag() != n.Span() {
			b.WriteString(" unclosed")
		}
		switch n.Kind {
		case Dict, Array, Invalid:
		default:
			fmt.Fprintf(&b, " text=%q", n.Text)
			if n.Valid {
				fmt.Fprintf(&b, " value=%s", formatValue(n.ToValue()))
			} else {
				b.WriteString(" invalid")
			}
		}
		b.WriteString("\n")
		for _, e := range n.Entries() {
			ep := append(path[:len(path):len(path)], PathElem{Key: e.Key, IsKey: true})
			fmt.Fprintf(&b, "%s  key %q %s path=%q", indent, e.Key, sp(e.KeySpan), ep.String())
			if e.Value == nil {
				b.WriteString(" (no value)\n")
				continue
			}
			b.WriteString("\n")
			walk(e.Value, ep, indent+"    ")
		}
		for i, it := range n.Items() {
			walk(it, append(path[:len(path):len(path)], PathElem{Index: i}), indent+"  ")
		}
	}
	if d.Root != nil {
		walk(d.Root, nil, "  ")
		fmt.Fprintf(&b, "value: %s\n", formatValue(d.Root.ToValue()))
	}
	if len(d.Comments) > 0 {
		b.WriteString("comments:\n")
		for _, c := range d.Comments {
			fmt.Fprintf(&b, "  %s%s\n", sp(c.Span), snip(c.Text))
		}
	}
	b.WriteString("problems:\n")
	for _, p := range d.Problems {
		fmt.Fprintf(&b, "  %s %s %s%s: %s\n", p.Severity, p.Code, sp(p.Span), snip(p.Span), p.Message)
	}
	return b.String()
}

// positioner maps byte offsets to "line:col".
func positioner(src []byte) func(int) string {
	var starts []int
	starts = append(starts, 0)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return func(off int) string {
		l := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
		return fmt.Sprintf("%d:%d", l+1, off-starts[l]+1)
	}
}

// formatValue prints a ToValue result deterministically (sorted map keys).
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "nil"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%q: %s", k, formatValue(v[k])))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		var parts []string
		for _, it := range v {
			parts = append(parts, formatValue(it))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", v)
	case []byte:
		return fmt.Sprintf("bytes(%x)", v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// valuesEqual is reflect.DeepEqual except that NaN equals NaN (howett and
// we both decode "nan"), and times compare with Equal.
func valuesEqual(a, b any) bool {
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && (a == b || math.IsNaN(a) && math.IsNaN(b))
	case float32:
		b, ok := b.(float32)
		return ok && (a == b || a != a && b != b)
	case time.Time:
		b, ok := b.(time.Time)
		return ok && a.Equal(b)
	case []byte:
		b, ok := b.([]byte)
		return ok && bytes.Equal(a, b) && (a == nil) == (b == nil)
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !valuesEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// sameDocument compares two documents field by field, trees included.
// reflect.DeepEqual cannot see through a node's children (an
// unsafe.Pointer: it compares their addresses).
func sameDocument(a, b *Document) bool {
	ra, rb := a.Root, b.Root
	ca, cb := *a, *b
	ca.Root, cb.Root = nil, nil
	ca.arena, cb.arena = nil, nil // the memory the trees are in
	return reflect.DeepEqual(ca, cb) && sameNode(ra, rb)
}

// sameRare compares rare values, a NaN being the same as a NaN.
func sameRare(a, b *rareValues) bool {
	if a == nil || b == nil {
		return a == b
	}
	ca, cb := *a, *b
	if math.IsNaN(ca.real) && math.IsNaN(cb.real) {
		ca.real, cb.real = 0, 0
	}
	return reflect.DeepEqual(ca, cb)
}

func sameNode(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Valid != b.Valid || a.IsUint != b.IsUint || a.bits != b.bits || a.Name() != b.Name() ||
		a.Span() != b.Span() || a.OpenTag() != b.OpenTag() || a.CloseTag() != b.CloseTag() || a.Content() != b.Content() ||
		a.Text != b.Text || a.Int != b.Int || !sameRare(a.rare, b.rare) ||
		len(a.Entries()) != len(b.Entries()) || len(a.Items()) != len(b.Items()) {
		return false
	}
	for i, ea := range a.Entries() {
		eb := b.Entries()[i]
		if ea.Key != eb.Key || ea.KeySpan != eb.KeySpan || ea.KeyText != eb.KeyText || ea.Span != eb.Span || !sameNode(ea.Value, eb.Value) {
			return false
		}
	}
	for i, ia := range a.Items() {
		if !sameNode(ia, b.Items()[i]) {
			return false
		}
	}
	return true
}
