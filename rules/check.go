package rules

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

// Targets describe what the entitlements are built for. Every field is
// optional: unknown targets make rules say less, never guess.
type Targets struct {
	// Platforms the file is signed for ("ios", "macos", "catalyst", "tvos",
	// "watchos", "visionos", "driverkit"). Empty means unknown: only what is
	// wrong on every platform is reported.
	Platforms []string
	// MinVersions are deployment targets by platform, e.g. {"ios": "15.0"}.
	MinVersions map[string]string
	// Distribution is "app-store", "developer-id", "ad-hoc", "enterprise",
	// "development" or "" when unknown.
	Distribution string
	// TeamID is the 10-character Apple team identifier, or "".
	TeamID string
}

// Options configure a run. The zero value checks with the built-in catalog
// and default severities.
type Options struct {
	// Catalog to check against; nil means catalog.Builtin().
	Catalog *catalog.Catalog
	Targets Targets
	// Severity overrides a rule's default severity; Off disables it.
	Severity map[string]Severity
	// MaxFileSize: larger documents get one finding instead of an analysis
	// (0 means DefaultMaxFileSize).
	MaxFileSize int64
	// InfoPlist is the target's Info.plist (from --info-plist, the infoPlist
	// config field or an Xcode project), or nil. The infoplist-* rules run
	// only when it is set.
	InfoPlist *plistxml.Document
	// InfoPlistPath names the Info.plist in messages, e.g. "App/Info.plist".
	InfoPlistPath string
	// Profile is the provisioning profile the file will be signed with
	// (--profile or the profile config field), or nil. The profile-* rules
	// run only when it is set; Profile.Path names it in messages.
	Profile *profile.Profile
}

// DefaultMaxFileSize is the size above which documents are not analysed.
const DefaultMaxFileSize = 10 << 20

// Result is the outcome of checking one document.
type Result struct {
	Doc      *plistxml.Document
	Findings []Finding // sorted by position
}

// Check parses src and runs every enabled rule over it.
func Check(src []byte, opts Options) Result {
	return CheckReusing(src, opts, nil)
}

// CheckReusing is Check, parsing src in the memory of an earlier tree
// (plistxml.ParseReusing). Findings never point into the tree, so the
// Result's Doc can give its memory to the next check once it is not
// needed.
func CheckReusing(src []byte, opts Options, a *plistxml.Arena) Result {
	if int64(len(src)) > opts.SizeLimit() {
		res := TooLarge(int64(len(src)), opts)
		res.Doc.Src = src
		return res
	}
	doc := plistxml.ParseReusing(src, a)
	return Result{Doc: doc, Findings: Run(doc, opts)}
}

// SizeLimit is the size above which a document is not analysed.
func (o *Options) SizeLimit() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

// TooLarge is what Check returns for a document of size bytes over the
// limit, for callers that did not read it (a negative size means "more
// than the limit", for streams that were not read to the end). The
// document has no source.
func TooLarge(size int64, opts Options) Result {
	limit := opts.SizeLimit()
	what := "file is " + humanSize(size) + ", over"
	if size < 0 {
		what = "file is over"
	}
	doc := &plistxml.Document{Plist: plistxml.NoSpan}
	return Result{Doc: doc, Findings: []Finding{{
		Rule: "syntax", Severity: Error, Span: plistxml.Span{Start: 0, End: 0},
		Message: fmt.Sprintf("%s the %s limit: not analysed (raise maxFileSize in %s to check it)",
			what, humanSize(limit), ".entitlint.json"),
	}}}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// parallelRules is the document size from which the rules share the
// machine's cores: below it, starting goroutines costs more than it saves
// (a 2 KB document takes tens of microseconds in all).
const parallelRules = 128 << 10

// Run runs every enabled rule over an already parsed document, applies
// suppression comments and returns the findings sorted by position.
func Run(doc *plistxml.Document, opts Options) []Finding {
	if opts.Catalog == nil {
		opts.Catalog = catalog.Builtin()
	}
	ctx := newContext(doc, &opts)
	defer ctx.done()
	if workers := min(runtime.GOMAXPROCS(0), 4); workers > 1 && len(doc.Src) >= parallelRules {
		out := runParallel(ctx, doc, &opts, workers)
		return sortFindings(applySuppressions(ctx, out, opts.Severity))
	}
	// The findings are collected in reused memory, then sorted into a
	// slice of their own (none for the many documents without findings).
	// One Pass serves every rule (29 allocations per document less).
	scratch := findingsScratch.Get().(*[]Finding)
	out := (*scratch)[:0]
	p := &Pass{Doc: doc, Opts: &opts, ctx: ctx}
	for _, r := range sortedRules() {
		p.runEnabled(r, &out)
	}
	out = applySuppressions(ctx, out, opts.Severity)
	var sorted []Finding
	if len(out) > 0 {
		sorted = sortInto(make([]Finding, len(out)), out)
	}
	clear(out) // the scratch must not keep the findings' strings alive
	if cap(out) <= maxScratchFindings {
		*scratch = out[:0]
		findingsScratch.Put(scratch)
	}
	return sorted
}

// findingsScratch holds the slices sequential runs collect findings in.
// Growing a new slice finding by finding, then sorting it into another,
// was most of what the rules allocated per keystroke in the editor, and
// every allocation brings the next collection closer.
var findingsScratch = sync.Pool{New: func() any { return new([]Finding) }}

// maxScratchFindings bounds the scratch slices kept for reuse (about
// 120 KB each).
const maxScratchFindings = 1024

// runParallel runs the rules on workers goroutines, each taking the next
// rule not yet started, and concatenates the findings in rule order, so
// the result is exactly what running them one after the other gives. The
// rules only read the document and the context.
func runParallel(ctx *context, doc *plistxml.Document, opts *Options, workers int) []Finding {
	rs := sortedRules()
	perRule := make([][]Finding, len(rs))
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			p := &Pass{Doc: doc, Opts: opts, ctx: ctx}
			for i := int(next.Add(1)) - 1; i < len(rs); i = int(next.Add(1)) - 1 {
				p.runEnabled(rs[i], &perRule[i])
			}
		})
	}
	wg.Wait()
	n := 0
	for _, fs := range perRule {
		n += len(fs)
	}
	out := make([]Finding, 0, n)
	for _, fs := range perRule {
		out = append(out, fs...)
	}
	return out
}

// runEnabled runs rule r with p, if its severity is not off, appending its
// findings to *out with that severity.
func (p *Pass) runEnabled(r *Rule, out *[]Finding) {
	if r.Run == nil {
		return
	}
	sev, overridden := p.Opts.Severity[r.ID]
	if !overridden {
		sev = r.Default
	}
	if sev == Off {
		return
	}
	start := len(*out)
	p.rule, p.out, p.count = r, out, 0
	runRule(p)
	if p.Full() {
		*out = append(*out, Finding{Rule: r.ID, Severity: Info, Span: (*out)[len(*out)-1].Span,
			Message: fmt.Sprintf("%s: stopped after %d findings; the rest are not shown", r.ID, maxFindingsPerRule)})
	}
	if overridden {
		for i := start; i < len(*out); i++ {
			(*out)[i].Severity = sev
		}
	}
}

// runRule runs one rule and turns a panic into a finding: a bug in one rule
// must not take down the CLI run or the editor session, and the user should
// see that something was not checked.
func runRule(p *Pass) {
	defer func() {
		if v := recover(); v != nil {
			*p.out = append(*p.out, Finding{Rule: p.rule.ID, Severity: Error, Span: plistxml.Span{},
				Message: fmt.Sprintf("internal error in rule %s: %v (please report this file to entitlint)", p.rule.ID, v)})
		}
	}()
	p.rule.Run(p)
}

// sortFindings orders findings by position, then rule, keeping each
// rule's own order among equals. It returns fs itself when it is already
// in order, else a sorted copy.
func sortFindings(fs []Finding) []Finding {
	if slices.IsSortedFunc(fs, compareFindings) {
		return fs
	}
	return sortInto(make([]Finding, len(fs)), fs)
}

// sortInto writes fs, in sortFindings' order, into dst (of the same
// length) and returns dst. It sorts indexes and copies each finding once:
// moving the findings themselves (over 100 bytes each) through a stable
// sort cost more than the rules of a large document.
func sortInto(dst, fs []Finding) []Finding {
	if slices.IsSortedFunc(fs, compareFindings) {
		copy(dst, fs)
		return dst
	}
	order := make([]int32, len(fs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int { return compareFindings(fs[i], fs[j]) })
	for i, j := range order {
		dst[i] = fs[j]
	}
	return dst
}

func compareFindings(a, b Finding) int {
	if c := cmp.Compare(a.Span.Start, b.Span.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Span.End, b.Span.End); c != 0 {
		return c
	}
	return strings.Compare(a.Rule, b.Rule)
}
