package rules

import (
	"sort"
)

// ApplyEdits applies non-overlapping edits to src and returns the result.
// Edits are applied in position order; an edit that overlaps an earlier one
// is skipped and reported by the second return value.
func ApplyEdits(src []byte, edits []Edit) ([]byte, []Edit) {
	sorted := make([]Edit, len(edits))
	copy(sorted, edits)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Span.Start != sorted[j].Span.Start {
			return sorted[i].Span.Start < sorted[j].Span.Start
		}
		return sorted[i].Span.End < sorted[j].Span.End
	})
	var out []byte
	var skipped []Edit
	last := 0
	for _, e := range sorted {
		if !e.Span.IsValid() || e.Span.Start < last || e.Span.End > len(src) {
			skipped = append(skipped, e)
			continue
		}
		out = append(out, src[last:e.Span.Start]...)
		out = append(out, e.NewText...)
		last = e.Span.End
	}
	out = append(out, src[last:]...)
	return out, skipped
}

// SafeFixes picks, from findings, the safe fixes that can be applied
// together: for each finding its preferred safe fix (or first safe fix),
// skipping any fix whose edits overlap a fix already picked. Findings are
// taken in position order, so the result is deterministic.
func SafeFixes(findings []Finding) []Fix {
	var picked []Fix
	var taken []Edit
	overlaps := func(fx Fix) bool {
		for _, e := range fx.Edits {
			for _, t := range taken {
				if e.Span.Start < t.Span.End && t.Span.Start < e.Span.End {
					return true
				}
				// Two insertions at the same point would be ambiguous.
				if e.Span.Start == t.Span.Start && (e.Span.Len() == 0 || t.Span.Len() == 0) {
					return true
				}
			}
		}
		return false
	}
	for _, f := range findings {
		var best *Fix
		for i := range f.Fixes {
			fx := &f.Fixes[i]
			if !fx.Safe {
				continue
			}
			if best == nil || (fx.Preferred && !best.Preferred) {
				best = fx
			}
		}
		if best == nil || overlaps(*best) {
			continue
		}
		picked = append(picked, *best)
		taken = append(taken, best.Edits...)
	}
	return picked
}
