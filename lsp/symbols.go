package lsp

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
)

// DocumentSymbol lists the keys: top-level entitlements, with dict entries
// and array items nested under them.
func (s *server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) ([]any, error) {
	out := []any{}
	snap := s.requestSnapshot(ctx, params.TextDocument.URI)
	if snap == nil {
		return out, nil
	}
	doc := snap.parsed()
	if doc == nil || doc.Root == nil {
		return out, nil
	}
	budget := maxSymbols
	syms := snap.children(doc.Root, &budget)
	if s.caps.hierarchicalSymbols {
		for _, sym := range syms {
			out = append(out, sym)
		}
		return out, ctx.Err()
	}
	var flatten func(syms []protocol.DocumentSymbol, container string)
	flatten = func(syms []protocol.DocumentSymbol, container string) {
		for _, sym := range syms {
			out = append(out, protocol.SymbolInformation{
				Name: sym.Name, Kind: sym.Kind, ContainerName: container,
				Location: protocol.Location{URI: params.TextDocument.URI, Range: sym.Range},
			})
			flatten(sym.Children, sym.Name)
		}
	}
	flatten(syms, "")
	return out, ctx.Err()
}

// maxSymbols bounds the outline: a million-element array made a response
// of a million symbols (over 100 MB of JSON) that no editor can show.
const maxSymbols = 5000

// children returns the symbols of a dict's entries or an array's items,
// at most budget of them in all; the rest of a container is summed up by
// one "…" symbol.
func (s *snapshot) children(n *plistxml.Node, budget *int) []protocol.DocumentSymbol {
	var out []protocol.DocumentSymbol
	more := func(left int, what string, from plistxml.Span) {
		sp := plistxml.Span{Start: from.Start, End: n.Span().End}
		if !from.IsValid() || !n.Span().IsValid() || sp.End < sp.Start {
			sp = n.Span()
		}
		r := s.rangeOf(sp)
		out = append(out, protocol.DocumentSymbol{Name: "…", Kind: protocol.SymbolKindNull,
			Detail: fmt.Sprintf("%d more %s not listed", left, what), Range: r, SelectionRange: r})
	}
	switch n.Kind {
	case plistxml.Dict:
		for i, e := range n.Entries() {
			if *budget <= 0 {
				more(len(n.Entries())-i, plural(len(n.Entries())-i, "key", "keys"), e.Span)
				break
			}
			*budget--
			name := e.Key
			if name == "" {
				name = `""`
			}
			sym := protocol.DocumentSymbol{Name: name, Kind: protocol.SymbolKindKey}
			full, sel := e.Span, e.KeySpan
			if e.Value != nil {
				sym.Kind, sym.Detail = symbolKind(e.Value), detail(e.Value)
				sym.Children = s.children(e.Value, budget)
			}
			if !full.IsValid() {
				full = sel
			}
			sym.Range, sym.SelectionRange = s.rangeOf(full), s.rangeOf(within(sel, full))
			out = append(out, sym)
		}
	case plistxml.Array:
		for i, item := range n.Items() {
			if *budget <= 0 {
				more(len(n.Items())-i, plural(len(n.Items())-i, "item", "items"), item.Span())
				break
			}
			*budget--
			out = append(out, protocol.DocumentSymbol{
				Name: "[" + strconv.Itoa(i) + "]", Kind: symbolKind(item), Detail: detail(item),
				Range: s.rangeOf(item.Span()), SelectionRange: s.rangeOf(within(item.OpenTag(), item.Span())),
				Children: s.children(item, budget),
			})
		}
	}
	return out
}

// within clamps sel into full: LSP requires the selection range to be
// contained in the symbol's range, and recovered trees can be odd.
func within(sel, full plistxml.Span) plistxml.Span {
	if !sel.IsValid() || !full.IsValid() || sel.Start < full.Start || sel.End > full.End {
		return full
	}
	return sel
}

func symbolKind(n *plistxml.Node) protocol.SymbolKind {
	switch n.Kind {
	case plistxml.Dict:
		return protocol.SymbolKindObject
	case plistxml.Array:
		return protocol.SymbolKindArray
	case plistxml.String:
		return protocol.SymbolKindString
	case plistxml.Integer, plistxml.Real:
		return protocol.SymbolKindNumber
	case plistxml.True, plistxml.False:
		return protocol.SymbolKindBoolean
	}
	return protocol.SymbolKindConstant
}

// detail is a one-line summary of a value for the outline.
func detail(n *plistxml.Node) string {
	switch n.Kind {
	case plistxml.Dict:
		return fmt.Sprintf("dict, %d %s", len(n.Entries()), plural(len(n.Entries()), "key", "keys"))
	case plistxml.Array:
		return fmt.Sprintf("array, %d %s", len(n.Items()), plural(len(n.Items()), "item", "items"))
	case plistxml.True, plistxml.False:
		return n.Kind.String()
	case plistxml.Invalid:
		return "<" + n.Name() + ">"
	}
	return truncate(n.Text, 60)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// truncate shortens s to at most n characters, on a character boundary.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// FoldingRanges folds dicts, arrays and multi-line comments. A container
// folds up to the line before its close tag, so "</dict>" stays visible.
func (s *server) FoldingRanges(ctx context.Context, params *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	out := []protocol.FoldingRange{}
	snap := s.requestSnapshot(ctx, params.TextDocument.URI)
	if snap == nil {
		return out, nil
	}
	doc := snap.parsed()
	if doc == nil {
		return out, nil
	}
	idx := snap.index()
	var walk func(n *plistxml.Node)
	walk = func(n *plistxml.Node) {
		if n == nil || (n.Kind != plistxml.Dict && n.Kind != plistxml.Array) || !n.Span().IsValid() {
			return
		}
		start := idx.Line(n.Span().Start)
		end := idx.Line(n.Span().End)
		if n.CloseTag().IsValid() {
			end = idx.Line(n.CloseTag().Start) - 1
		}
		if end > start {
			out = append(out, protocol.FoldingRange{StartLine: uint32(start), EndLine: uint32(end)})
		}
		for _, e := range n.Entries() {
			walk(e.Value)
		}
		for _, item := range n.Items() {
			walk(item)
		}
	}
	walk(doc.Root)
	for _, c := range doc.Comments {
		if !c.Span.IsValid() {
			continue
		}
		start, end := idx.Line(c.Span.Start), idx.Line(c.Span.End)
		if end > start {
			out = append(out, protocol.FoldingRange{StartLine: uint32(start), EndLine: uint32(end), Kind: protocol.CommentFoldingRange})
		}
	}
	return out, ctx.Err()
}
