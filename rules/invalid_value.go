package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

func init() {
	register(&Rule{
		ID:      "invalid-value",
		Title:   "A value outside the key's allowed set",
		Default: Error,
		Why: "Keys such as `aps-environment`, `com.apple.developer.networking.networkextension`, " +
			"`com.apple.developer.icloud-services` or `com.apple.developer.nfc.readersession.formats` accept a " +
			"fixed set of values. Anything else fails profile matching (\"Provisioning profile doesn't match the " +
			"entitlements file's value\") or is ignored at run time. Values holding Xcode build variables are " +
			"not checked.",
		Bad:   "<key>aps-environment</key>\n<string>Development</string>",
		Good:  "<key>aps-environment</key>\n<string>development</string>",
		Facts: "catalog allowed values",
		Fixes: "did-you-mean replacement (safe when only the letter case differs)",
		Run: func(p *Pass) {
			if p.ctx.root == nil {
				return
			}
			for i, e := range p.ctx.root.Entries() {
				if p.Full() {
					return
				}
				k, ok := p.ctx.keyAt(i)
				if !ok || len(k.Values) == 0 || k.ValuesOpen || e.Value == nil {
					continue
				}
				for _, n := range stringValues(e.Value) {
					checkEnumValue(p, e, k, n)
				}
			}
		},
	})
}

// stringValues returns the string node itself or the string items of an array.
func stringValues(v *plistxml.Node) []*plistxml.Node {
	switch v.Kind {
	case plistxml.String:
		return []*plistxml.Node{v}
	case plistxml.Array:
		var out []*plistxml.Node
		for _, it := range v.Items() {
			if it.Kind == plistxml.String {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

func checkEnumValue(p *Pass, e *plistxml.Entry, k *catalog.Key, n *plistxml.Node) {
	val := n.Text
	if hasVariable(val) || strings.TrimSpace(val) == "" {
		return // empty-value reports empty strings
	}
	allowed := make([]string, len(k.Values))
	for i, v := range k.Values {
		if v.Value == val {
			return
		}
		allowed[i] = v.Value
	}
	f := Finding{Span: n.Content(), Key: e.Key}
	if f.Span.Len() == 0 {
		f.Span = n.Span()
	}
	list := strings.Join(quoteAll(allowed), ", ")
	if len(allowed) > 8 {
		list = strings.Join(quoteAll(allowed[:8]), ", ") + ", …"
	}
	f.Message = fmt.Sprintf("%q is not a valid value for %s (allowed: %s)", val, e.Key, list)
	for _, cand := range nearestValues(val, allowed) {
		fix := Fix{Title: fmt.Sprintf("Replace with %q", cand), Edits: []Edit{p.ctx.replaceText(n, cand)}}
		if strings.EqualFold(strings.TrimSpace(val), cand) {
			fix.Safe = true
		}
		if len(f.Fixes) == 0 {
			fix.Preferred = true
			f.Message = fmt.Sprintf("%q is not a valid value for %s; did you mean %q?", val, e.Key, cand)
		}
		f.Fixes = append(f.Fixes, fix)
	}
	p.Report(f)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// nearestValues ranks allowed values close to v: case-insensitive equality
// first, then small edit distances, then prefix/suffix relations
// ("packet-tunnel" -> "packet-tunnel-provider").
func nearestValues(v string, allowed []string) []string {
	type cand struct {
		s string
		d int
	}
	lv := strings.ToLower(strings.TrimSpace(v))
	var cs []cand
	for _, a := range allowed {
		la := strings.ToLower(a)
		d := editDistance(lv, la)
		switch {
		case lv == la:
			d = 0
		case strings.HasPrefix(la, lv):
			// A truncated value ("packet-tunnel" for "packet-tunnel-provider").
			// The reverse (a longer value) is not: NSFileProtectionCompleteUntilFirstUnlock
			// must not suggest the much stricter NSFileProtectionComplete.
			d = min(d, 2)
		}
		if d <= max(2, len(la)/4) {
			cs = append(cs, cand{a, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return commonPrefix(lv, strings.ToLower(cs[i].s)) > commonPrefix(lv, strings.ToLower(cs[j].s))
	})
	out := make([]string, 0, 3)
	for _, c := range cs {
		if len(out) == 3 {
			break
		}
		out = append(out, c.s)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	if len(a) > 200 || len(b) > 200 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
