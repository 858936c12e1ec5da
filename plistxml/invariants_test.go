package plistxml

import (
	"fmt"
	"math"
)

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

// validateDocument checks the invariants every parse result must keep and
// returns a description of the first violation, or "".
func validateDocument(d *Document) string {
	n := len(d.Src)
	if len(d.Problems) > MaxProblems {
		return fmt.Sprintf("%d problems, cap is %d", len(d.Problems), MaxProblems)
	}
	inside := func(s Span) bool { return s.IsValid() && s.End <= n }
	prev := -1
	for _, p := range d.Problems {
		if d.Format == FormatBinary {
			if p.Span != NoSpan {
				return fmt.Sprintf("binary problem with span %v", p.Span)
			}
			continue
		}
		if !inside(p.Span) {
			return fmt.Sprintf("problem span %v outside [0,%d]: %s", p.Span, n, p.Message)
		}
		if p.Span.Start < prev {
			return "problems not in source order"
		}
		prev = p.Span.Start
		if p.Message == "" {
			return "empty problem message"
		}
	}
	prev = 0
	for _, c := range d.Comments {
		if !inside(c.Span) || !within(c.Text, c.Span) || c.Span.Start < prev {
			return fmt.Sprintf("bad comment span %v", c.Span)
		}
		prev = c.Span.End
	}
	if d.Root == nil {
		return ""
	}
	if d.Format == FormatBinary {
		var bad string
		Walk(d.Root, func(x *Node) bool {
			if x.Span() != NoSpan || x.OpenTag() != NoSpan {
				bad = "binary node with a span"
			}
			return true
		})
		return bad
	}
	type item struct {
		n     *Node
		depth int
	}
	stack := []item{{d.Root, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x := it.n
		if it.depth > MaxDepth+1 {
			return "tree deeper than MaxDepth"
		}
		if !inside(x.Span()) || !within(x.OpenTag(), x.Span()) || !within(x.Content(), x.Span()) {
			return fmt.Sprintf("node %s: spans %v open %v content %v", x.Kind, x.Span(), x.OpenTag(), x.Content())
		}
		if x.CloseTag() != NoSpan && (!within(x.CloseTag(), x.Span()) || x.CloseTag().Start < x.OpenTag().End) {
			return fmt.Sprintf("node %s: close tag %v", x.Kind, x.CloseTag())
		}
		last := x.OpenTag().End
		for _, e := range x.Entries() {
			if !within(e.KeySpan, e.Span) || !within(e.KeyText, e.KeySpan) || !within(e.Span, x.Span()) || e.Span.Start < last {
				return fmt.Sprintf("entry %q: span %v key %v keytext %v in %v after %d", e.Key, e.Span, e.KeySpan, e.KeyText, x.Span(), last)
			}
			last = e.Span.End
			if e.Value != nil {
				if !within(e.Value.Span(), e.Span) || e.Value.Span().Start < e.KeySpan.End {
					return fmt.Sprintf("entry %q: value %v outside %v", e.Key, e.Value.Span(), e.Span)
				}
				stack = append(stack, item{e.Value, it.depth + 1})
			}
		}
		for _, c := range x.Items() {
			if !within(c.Span(), x.Span()) || c.Span().Start < last {
				return fmt.Sprintf("item span %v in %v after %d", c.Span(), x.Span(), last)
			}
			last = c.Span().End
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return ""
}

func within(in, out Span) bool {
	return in.IsValid() && in.Start >= out.Start && in.End <= out.End
}
