package rules

import (
	"bytes"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

// context is what every rule shares about one document, computed once.
type context struct {
	doc  *plistxml.Document
	cat  *catalog.Catalog
	root *plistxml.Node // top-level dict, or nil

	// platforms in effect: from options, else a per-file comment, else
	// inferred from the keys; empty when unknown.
	platforms []string
	// platformSource says where platforms came from: "config", "comment",
	// "inferred" or "" (unknown).
	platformSource string
	distribution   string
	teamID         string

	directives []directive // suppression comments

	// classes[i] is what the catalog says of root.Entries[i]'s key: a
	// dozen rules ask, and a document of 15,000 keys cost 250,000 map
	// lookups before they shared the answer.
	classes    []catalog.Class
	classesBuf *[]catalog.Class // classes' memory, given back by done
}

// keyAt returns the catalog entry of the i-th top-level key.
func (c *context) keyAt(i int) (*catalog.Key, bool) {
	k := c.classes[i].Key
	return k, k != nil
}

// hallucinationAt returns the known wrong key that the i-th top-level key is.
func (c *context) hallucinationAt(i int) (*catalog.Hallucination, bool) {
	h := c.classes[i].Hallucination
	return h, h != nil
}

// infoPlistAt returns the Info.plist key that the i-th top-level key is.
func (c *context) infoPlistAt(i int) (*catalog.InfoPlistKey, bool) {
	k := c.classes[i].InfoPlist
	return k, k != nil
}

// privateAt reports whether the i-th top-level key is Apple-private.
func (c *context) privateAt(i int) bool { return c.classes[i].Private }

func newContext(doc *plistxml.Document, opts *Options) *context {
	c := &context{doc: doc, cat: opts.Catalog, root: doc.RootDict(),
		distribution: opts.Targets.Distribution, teamID: opts.Targets.TeamID}
	if c.root != nil {
		c.classesBuf = classesScratch.Get().(*[]catalog.Class)
		c.classes = classify(*c.classesBuf, c.cat, c.root.Entries())
	}
	c.directives = parseDirectives(doc)
	fileTargets := fileTargetComment(doc)
	switch {
	case len(opts.Targets.Platforms) > 0:
		c.platforms, c.platformSource = normalisePlatforms(opts.Targets.Platforms), "config"
	case len(fileTargets["platform"]) > 0:
		c.platforms, c.platformSource = normalisePlatforms(fileTargets["platform"]), "comment"
	default:
		if p := c.inferPlatforms(); len(p) > 0 {
			c.platforms, c.platformSource = p, "inferred"
		}
	}
	if c.distribution == "" && len(fileTargets["distribution"]) > 0 {
		c.distribution = fileTargets["distribution"][0]
	}
	if c.teamID == "" && len(fileTargets["team"]) > 0 {
		c.teamID = fileTargets["team"][0]
	}
	return c
}

// parallelClassify is the number of top-level keys from which they are
// classified on two goroutines: 15,000 keys took a millisecond, on the
// path from a keystroke to its diagnostics.
const parallelClassify = 4096

// classesScratch holds the classes of finished runs, for the next: a
// 5 MB document has 55,000 top-level keys, and their classes were the
// largest allocation of the rules on every keystroke.
var classesScratch = sync.Pool{New: func() any { return new([]catalog.Class) }}

// done gives the context's scratch memory back once its run is over:
// nothing the rules return points into it.
func (c *context) done() {
	if c.classesBuf == nil || cap(c.classes) > 1<<17 {
		return
	}
	clear(c.classes) // they point into the catalog, which a later one may replace
	*c.classesBuf = c.classes[:0]
	classesScratch.Put(c.classesBuf)
	c.classes, c.classesBuf = nil, nil
}

// classify asks the catalog about every entry's key, in dst's memory if it
// is large enough.
func classify(dst []catalog.Class, cat *catalog.Catalog, entries []*plistxml.Entry) []catalog.Class {
	classes := slices.Grow(dst[:0], len(entries))[:len(entries)]
	fill := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			classes[i] = cat.Classify(entries[i].Key)
		}
	}
	if len(entries) < parallelClassify || runtime.GOMAXPROCS(0) < 2 {
		fill(0, len(entries))
		return classes
	}
	half := len(entries) / 2
	done := make(chan struct{})
	go func() {
		fill(half, len(entries))
		close(done)
	}()
	fill(0, half)
	<-done
	return classes
}

// normalisePlatforms treats iPadOS as iOS for availability questions only
// where the catalog has no separate answer; both are kept.
func normalisePlatforms(ps []string) []string {
	out := make([]string, 0, len(ps))
	seen := map[string]bool{}
	for _, p := range ps {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

var targetComment = regexp.MustCompile(`^\s*entitlint:\s*(.*?)\s*$`)

// fileTargetComment reads `<!-- entitlint: platform=macos distribution=app-store team=ABCDE12345 -->`.
func fileTargetComment(doc *plistxml.Document) map[string][]string {
	out := map[string][]string{}
	for _, cm := range doc.Comments {
		m := targetComment.FindSubmatch(doc.Src[cm.Text.Start:cm.Text.End])
		if m == nil {
			continue
		}
		for _, field := range strings.Fields(string(m[1])) {
			k, v, ok := strings.Cut(field, "=")
			if !ok {
				continue
			}
			for _, x := range strings.Split(v, ",") {
				if x != "" {
					out[k] = append(out[k], x)
				}
			}
		}
	}
	return out
}

// inferPlatforms guesses macOS only when the file is unmistakably a Mac
// file: it claims macOS-only keys (App Sandbox, Hardened Runtime, the macOS
// spellings) and no key that exists only on iOS-family platforms. A Mac
// Catalyst file mixes both (Xcode translates aps-environment and friends),
// and a shared iOS/tvOS/Catalyst file must never turn into a false alarm, so
// any mix means "unknown".
func (c *context) inferPlatforms() []string {
	if c.root == nil {
		return nil
	}
	macOnly, iosOnly := false, false
	for i := range c.root.Entries() {
		k, ok := c.keyAt(i)
		if !ok {
			continue
		}
		onMac := k.AvailableOn(catalog.MacOS) || k.AvailableOn(catalog.Catalyst)
		onIOSFamily := k.AvailableOn(catalog.IOS) || k.AvailableOn(catalog.IPadOS) || k.AvailableOn(catalog.TVOS) ||
			k.AvailableOn(catalog.WatchOS) || k.AvailableOn(catalog.VisionOS)
		switch {
		case onMac && !onIOSFamily:
			macOnly = true
		case onIOSFamily && !onMac:
			iosOnly = true
		}
	}
	if macOnly && !iosOnly {
		return []string{"macos"}
	}
	return nil
}

// targets reports whether the file is known to be signed only for
// platforms in set (all of c.platforms are in set). Unknown platforms
// answer false: rules that need a platform stay quiet.
func (c *context) onlyOn(set ...string) bool {
	if len(c.platforms) == 0 {
		return false
	}
	for _, p := range c.platforms {
		found := false
		for _, s := range set {
			if p == s {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// includes reports whether platform p is one of the known targets.
func (c *context) includes(p string) bool {
	for _, x := range c.platforms {
		if x == p {
			return true
		}
	}
	return false
}

// topEntry returns the last top-level entry with key (Apple tools keep the
// last of duplicates).
func (c *context) topEntry(key string) *plistxml.Entry {
	if c.root == nil {
		return nil
	}
	return c.root.Lookup(key)
}

// isTrue reports whether the top-level key is present and <true/>.
func (c *context) isTrue(key string) bool {
	e := c.topEntry(key)
	return e != nil && e.Value != nil && e.Value.Kind == plistxml.True
}

// variable matches Xcode build-setting references: $(VAR), ${VAR},
// $(VAR:modifier), $(VAR:default=x).
var variable = regexp.MustCompile(`\$\([^()]*\)|\$\{[^{}]*\}`)

// hasVariable reports whether a value contains a build-setting reference.
func hasVariable(s string) bool { return strings.Contains(s, "$") && variable.MatchString(s) }

// entryRemoval returns the edit that deletes a dict entry together with
// its own line(s): from the start of the key's line (when only whitespace
// precedes it) to the end of the value's line (when only whitespace
// follows it), so no blank line is left behind.
func (c *context) entryRemoval(e *plistxml.Entry) Edit {
	src := c.doc.Src
	if !e.Span.IsValid() || e.Span.End > len(src) {
		return Edit{Span: plistxml.NoSpan} // binary plists: Report drops the fix
	}
	start, end := e.Span.Start, e.Span.End
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(src) && (src[le] == ' ' || src[le] == '\t') {
		le++
	}
	atLineStart := ls == 0 || src[ls-1] == '\n' || src[ls-1] == '\r'
	atLineEnd := le == len(src) || src[le] == '\n' || src[le] == '\r'
	if atLineStart && atLineEnd {
		start = ls
		end = le
		if end < len(src) && src[end] == '\r' {
			end++
		}
		if end < len(src) && src[end] == '\n' {
			end++
		}
	}
	return Edit{Span: plistxml.Span{Start: start, End: end}}
}

// indentOf returns the whitespace before the entry on its line.
func (c *context) indentOf(off int) string {
	src := c.doc.Src
	if off < 0 || off > len(src) {
		return ""
	}
	ls := off
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	return string(src[ls:off])
}

// text returns the source bytes of a span as a string.
func (c *context) text(s plistxml.Span) string {
	if !s.IsValid() || s.End > len(c.doc.Src) {
		return ""
	}
	return string(c.doc.Src[s.Start:s.End])
}

// sameText compares the source text of two spans without copying it.
func (c *context) sameText(a, b plistxml.Span) bool {
	src := c.doc.Src
	if !a.IsValid() || !b.IsValid() || a.End > len(src) || b.End > len(src) {
		return false
	}
	return bytes.Equal(src[a.Start:a.End], src[b.Start:b.End])
}

// replaceText returns the edit that replaces a string node's text. For an
// empty element (<string/>) there is no content to replace, so the whole
// element is rewritten.
func (c *context) replaceText(n *plistxml.Node, text string) Edit {
	if !n.CloseTag().IsValid() {
		return Edit{Span: n.Span(), NewText: "<" + n.Kind.String() + ">" + escapeText(text) + "</" + n.Kind.String() + ">"}
	}
	return Edit{Span: n.Content(), NewText: escapeText(text)}
}
