package catalog

import (
	"sort"
	"strings"
)

// Suggest returns up to max real keys close to key, nearest first.
//
// Distance is the optimal-string-alignment Damerau–Levenshtein distance
// between the lower-cased strings (so a transposition counts 1), plus 1 when
// the only difference is letter case. Candidates within a threshold that
// grows with the key's length are returned; so are keys with the same last
// segment (e.g. com.apple.developer.app-sandbox → com.apple.security.app-sandbox)
// whatever their distance. Ties are broken by shared prefix length, then
// name.
//
// A length check and a character-histogram lower bound reject most keys
// before any edit distance is computed, and the distance itself is computed
// in a band around the diagonal, so a call over the whole catalog takes a
// few microseconds.
func (c *Catalog) Suggest(key string, max int) []Suggestion {
	if max <= 0 {
		return nil
	}
	in := strings.ToLower(strings.TrimSpace(key))
	if in == "" || len(in) > maxSuggestLen {
		return nil
	}
	limit := 2 + len(in)/12
	if limit > 8 {
		limit = 8
	}
	var hist [histBins]int16
	fillHist(&hist, in)

	type cand struct {
		e      *suggestEntry
		dist   int
		prefix int
	}
	var found []cand
	var buf osaBuf
	for i := range c.sugg.entries {
		e := &c.sugg.entries[i]
		if d := len(e.lower) - len(in); d > limit || -d > limit {
			continue
		}
		if bagDistance(&hist, &e.hist, limit) > limit {
			continue
		}
		d := osaBounded(in, e.lower, limit, &buf)
		if d > limit {
			continue
		}
		found = append(found, cand{e, d, commonPrefix(in, e.lower)})
	}
	if seg := lastSegment(in); len(seg) >= 5 {
	next:
		for _, e := range c.sugg.byLast[seg] {
			for _, f := range found {
				if f.e == e {
					continue next
				}
			}
			d := osaBounded(in, e.lower, len(in)+len(e.lower), &buf)
			found = append(found, cand{e, d, commonPrefix(in, e.lower)})
		}
	}
	for i := range found {
		if found[i].dist == 0 && found[i].e.key.Key != key {
			found[i].dist = 1 // differs only in case (or surrounding space)
		}
	}
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.prefix != b.prefix {
			return a.prefix > b.prefix
		}
		return a.e.key.Key < b.e.key.Key
	})
	if len(found) > max {
		found = found[:max]
	}
	res := make([]Suggestion, len(found))
	for i, f := range found {
		res[i] = Suggestion{Key: f.e.key.Key, Distance: f.dist}
	}
	return res
}

const (
	maxSuggestLen = 200
	histBins      = 40
)

type suggestEntry struct {
	key   *Key
	lower string
	hist  [histBins]int16
}

type suggestIndex struct {
	entries []suggestEntry
	byLast  map[string][]*suggestEntry
}

func buildSuggestIndex(keys []*Key) suggestIndex {
	idx := suggestIndex{entries: make([]suggestEntry, len(keys)), byLast: map[string][]*suggestEntry{}}
	for i, k := range keys {
		e := &idx.entries[i]
		e.key = k
		e.lower = strings.ToLower(k.Key)
		fillHist(&e.hist, e.lower)
	}
	for i := range idx.entries {
		e := &idx.entries[i]
		seg := lastSegment(e.lower)
		idx.byLast[seg] = append(idx.byLast[seg], e)
	}
	return idx
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func bin(c byte) int {
	switch {
	case c >= 'a' && c <= 'z':
		return int(c - 'a')
	case c >= '0' && c <= '9':
		return 26 + int(c-'0')
	case c == '.':
		return 36
	case c == '-':
		return 37
	case c == '_':
		return 38
	}
	return 39
}

func fillHist(h *[histBins]int16, s string) {
	for i := 0; i < len(s); i++ {
		h[bin(s[i])]++
	}
}

// bagDistance is a lower bound of the edit distance: each insertion,
// deletion, substitution or transposition changes the character counts by
// at most one in each direction. Once the bound exceeds limit, the value
// returned is only known to exceed limit too.
func bagDistance(a, b *[histBins]int16, limit int) int {
	pos, neg := 0, 0
	for i := 0; i < histBins; i += 8 {
		for j := i; j < i+8; j++ {
			d := int(a[j]) - int(b[j])
			if d > 0 {
				pos += d
			} else {
				neg -= d
			}
		}
		// Both sums only grow: most candidates are rejected part way.
		if pos > limit || neg > limit {
			break
		}
	}
	if pos > neg {
		return pos
	}
	return neg
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

type osaBuf struct {
	rows [3][]int
}

// osaBounded returns the optimal-string-alignment distance between a and b,
// or a value greater than limit once the distance is known to exceed it.
func osaBounded(a, b string, limit int, buf *osaBuf) int {
	// Strip the common prefix and suffix; they never change the distance.
	p := commonPrefix(a, b)
	a, b = a[p:], b[p:]
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if len(a) == 0 {
		return len(b)
	}
	if len(b) == 0 {
		return len(a)
	}
	d := len(a) - len(b)
	if d > limit || -d > limit {
		return limit + 1
	}
	n := len(b)
	for i := range buf.rows {
		if cap(buf.rows[i]) < n+1 {
			buf.rows[i] = make([]int, n+1)
		}
		buf.rows[i] = buf.rows[i][:n+1]
	}
	big := limit + 1
	prev2, prev, cur := buf.rows[0], buf.rows[1], buf.rows[2]
	for j := 0; j <= n; j++ {
		prev[j] = j
		if j > limit {
			prev[j] = big
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := i-limit, i+limit
		if lo < 1 {
			lo = 1
		}
		if hi > n {
			hi = n
		}
		for j := 0; j <= n; j++ {
			cur[j] = big
		}
		if i <= limit {
			cur[0] = i
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if x := prev[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			if v > big {
				v = big
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > limit {
			return big
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n]
}
