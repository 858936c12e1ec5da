package rules

import (
	"slices"
	"sort"
	"sync"

	"github.com/entitlint/entitlint/plistxml"
)

// Rule is one check with its documentation.
type Rule struct {
	ID      string   // stable kebab-case ID; never renamed once released
	Title   string   // one line
	Why     string   // one paragraph: the consequence of the mistake
	Bad     string   // example that triggers the rule
	Good    string   // the same example, fixed
	Default Severity // default severity
	Facts   string   // which catalog facts the rule uses ("" if none)
	Fixes   string   // what its fixes do ("" if none)
	Run     func(p *Pass)

	docsURL string
}

// DocsURL is where a rule's documentation lives (the generated reference).
func (r *Rule) DocsURL() string {
	if r.docsURL == "" {
		return docsBase + r.ID // a Rule built outside register
	}
	return r.docsURL
}

const docsBase = "https://github.com/entitlint/entitlint/blob/main/docs/rules.md#"

var registry = map[string]*Rule{}

// register adds a rule; called from each rule file's init.
func register(r *Rule) {
	if _, dup := registry[r.ID]; dup {
		panic("rules: duplicate rule " + r.ID)
	}
	r.docsURL = docsBase + r.ID // built once: every diagnostic links it
	registry[r.ID] = r
}

// Lookup returns the rule with the given ID.
func Lookup(id string) (*Rule, bool) {
	r, ok := registry[id]
	return r, ok
}

// All returns every rule sorted by ID.
func All() []*Rule {
	return slices.Clone(sortedRules())
}

// sortedRules is the registry in ID order, built once: rules register in
// init functions only, and Run needs the list for every document (sorting
// it each time was a tenth of checking a small file).
var sortedRules = sync.OnceValue(func() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
})

// Pass is what a rule sees while it runs over one document.
type Pass struct {
	Doc  *plistxml.Document
	Opts *Options
	ctx  *context
	rule *Rule
	out  *[]Finding

	count int // findings reported by this rule
}

// maxFindingsPerRule bounds what one rule reports for one document: past a
// few hundred, more findings help nobody, and a generated or hostile file
// must not make the editor (or the rule) slow.
const maxFindingsPerRule = 500

// Full reports whether the rule has reported all it may; loops over large
// documents check it to stop early.
func (p *Pass) Full() bool { return p.count >= maxFindingsPerRule }

// Report adds a finding for the running rule at its default (or configured)
// severity. The rule ID and severity are filled in.
//
// Fixes that cannot be applied (an edit without a position, as in binary
// plists) are dropped here, once for all rules.
func (p *Pass) Report(f Finding) {
	if p.count >= maxFindingsPerRule {
		return
	}
	p.count++
	f.Rule = p.rule.ID
	fixes := f.Fixes[:0]
	for _, fx := range f.Fixes {
		ok := len(fx.Edits) > 0
		for _, e := range fx.Edits {
			if !e.Span.IsValid() || e.Span.End > len(p.Doc.Src) {
				ok = false
			}
		}
		if ok {
			fixes = append(fixes, fx)
		}
	}
	f.Fixes = fixes
	if f.Severity == 0 {
		f.Severity = p.rule.Default
	}
	*p.out = append(*p.out, f)
}
