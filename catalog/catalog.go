// Package catalog is entitlint's knowledge of Apple entitlement keys: the
// real keys with their types, values, platforms and restrictions; keys that
// people (and language models) invent; Info.plist keys that end up in
// entitlements files; and Apple-private entitlements.
//
// The data lives in entitlements.json, embedded in the binary and described
// by schema.json. Builtin returns it; Load merges extra catalog files over
// it.
//
// # Lookup order
//
// A key is classified by the first of these that matches, and the catalog
// guarantees a real key never matches the others:
//
//  1. Lookup: a real entitlement.
//  2. Hallucination: a known wrong key, with the fix.
//  3. Private: an Apple-private entitlement (by key or prefix).
//  4. InfoPlist: an Info.plist key (explicit list, then patterns).
//
// A few hallucinations (UIBackgroundModes, the Core NFC lists) are also
// Info.plist keys; the hallucination entry carries the more specific advice.
// Anything else is unknown, and Suggest offers the nearest real keys.
//
// # Versions
//
// The catalog has a semantic Version and a FactsDate (when Apple's
// documentation was last read). Every entry records the catalog version that
// added it (addedIn) and last changed it (changedIn).
//
// Values returned by a Catalog are shared between callers and must be
// treated as read-only.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

//go:embed entitlements.json
var builtinJSON []byte

//go:embed schema.json
var schemaJSON []byte

// file is the on-disk format shared by the embedded catalog and extra files.
type file struct {
	Schema            string              `json:"$schema,omitempty"`
	Version           string              `json:"version,omitempty"`
	FactsDate         string              `json:"factsDate,omitempty"`
	Keys              []*Key              `json:"keys,omitempty"`
	Hallucinations    []*Hallucination    `json:"hallucinations,omitempty"`
	InfoPlistKeys     []*InfoPlistKey     `json:"infoPlistKeys,omitempty"`
	InfoPlistPatterns []*InfoPlistPattern `json:"infoPlistPatterns,omitempty"`
	Private           *privateSection     `json:"private,omitempty"`
}

type privateSection struct {
	Prefixes []*PrivatePrefix `json:"prefixes,omitempty"`
	Keys     []*PrivateKey    `json:"keys,omitempty"`
}

// Catalog is an immutable, indexed set of catalog entries. It is safe for
// concurrent use.
type Catalog struct {
	version   string
	factsDate string

	keys     []*Key // sorted by Key
	byKey    map[string]*Key
	byPlat   map[Platform][]*Key
	halls    []*Hallucination // sorted by Key
	hallByK  map[string]*Hallucination
	infoKeys []*InfoPlistKey // sorted by Key
	infoByK  map[string]*InfoPlistKey
	patterns []*InfoPlistPattern
	patRE    []*regexp.Regexp
	patLit   []string         // literal prefix each anchored pattern requires ("" if none)
	patFirst [256]bool        // some pattern's literal starts with this byte
	patAny   bool             // some pattern has no literal prefix
	prefixes []*PrivatePrefix // sorted by Prefix
	privLCP  string           // the prefix every private prefix starts with
	privKeys []*PrivateKey    // sorted by Key
	privByK  map[string]*PrivateKey

	// names answers Classify for every name listed anywhere, with one map
	// lookup; Info.plist patterns and private prefixes are tried after it.
	names map[string]Class

	sugg suggestIndex
}

var (
	builtinOnce sync.Once
	builtinCat  *Catalog
)

var headerVersion = regexp.MustCompile(`"version"\s*:\s*"([^"]+)"`)

// BuiltinVersion returns the embedded catalog's version without parsing the
// catalog (the language server's initialize reply needs it in a hurry).
func BuiltinVersion() string {
	head := builtinJSON[:min(len(builtinJSON), 512)]
	if m := headerVersion.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return Builtin().Version()
}

// Builtin returns the embedded catalog, parsed once. The embedded data is
// validated by the package tests, so a failure here is a build defect and
// panics.
func Builtin() *Catalog {
	builtinOnce.Do(func() {
		f, err := decodeFile(builtinJSON)
		if err != nil {
			panic("catalog: embedded entitlements.json: " + err.Error())
		}
		c, err := newCatalog(f)
		if err != nil {
			panic("catalog: embedded entitlements.json: " + err.Error())
		}
		builtinCat = c
	})
	return builtinCat
}

func decodeFile(data []byte) (*file, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// newCatalog indexes f. It checks only what indexing needs (no duplicate
// entries, patterns compile); the full checks are in validateFile and the
// tests.
func newCatalog(f *file) (*Catalog, error) {
	c := &Catalog{
		version:   f.Version,
		factsDate: f.FactsDate,
		byKey:     make(map[string]*Key, len(f.Keys)),
		byPlat:    map[Platform][]*Key{},
		hallByK:   make(map[string]*Hallucination, len(f.Hallucinations)),
		infoByK:   make(map[string]*InfoPlistKey, len(f.InfoPlistKeys)),
		privByK:   map[string]*PrivateKey{},
	}
	for _, k := range f.Keys {
		if _, dup := c.byKey[k.Key]; dup {
			return nil, fmt.Errorf("duplicate key %q", k.Key)
		}
		c.byKey[k.Key] = k
		c.keys = append(c.keys, k)
		// Written only when it changes: merged catalogs share the
		// builtin's keys, which rules may be reading meanwhile.
		for _, info := range k.Platforms {
			if info.Deprecated != "" && !k.platformDeprecated {
				k.platformDeprecated = true
			}
		}
	}
	sort.Slice(c.keys, func(i, j int) bool { return c.keys[i].Key < c.keys[j].Key })
	for _, k := range c.keys {
		for _, p := range AllPlatforms() {
			if k.AvailableOn(p) {
				c.byPlat[p] = append(c.byPlat[p], k)
			}
		}
	}
	for _, h := range f.Hallucinations {
		if _, dup := c.hallByK[h.Key]; dup {
			return nil, fmt.Errorf("duplicate hallucination %q", h.Key)
		}
		c.hallByK[h.Key] = h
		c.halls = append(c.halls, h)
	}
	sort.Slice(c.halls, func(i, j int) bool { return c.halls[i].Key < c.halls[j].Key })
	for _, k := range f.InfoPlistKeys {
		if _, dup := c.infoByK[k.Key]; dup {
			return nil, fmt.Errorf("duplicate Info.plist key %q", k.Key)
		}
		c.infoByK[k.Key] = k
		c.infoKeys = append(c.infoKeys, k)
	}
	sort.Slice(c.infoKeys, func(i, j int) bool { return c.infoKeys[i].Key < c.infoKeys[j].Key })
	for _, p := range f.InfoPlistPatterns {
		re, err := regexp.Compile(p.Pattern)
		if err != nil {
			return nil, fmt.Errorf("invalid Info.plist pattern %q: %v", p.Pattern, err)
		}
		c.patterns = append(c.patterns, p)
		c.patRE = append(c.patRE, re)
		lit := anchoredLiteral(p.Pattern)
		c.patLit = append(c.patLit, lit)
		if lit == "" {
			c.patAny = true
		} else {
			c.patFirst[lit[0]] = true
		}
	}
	if f.Private != nil {
		c.prefixes = append(c.prefixes, f.Private.Prefixes...)
		sort.Slice(c.prefixes, func(i, j int) bool { return c.prefixes[i].Prefix < c.prefixes[j].Prefix })
		if n := len(c.prefixes); n > 0 {
			// Sorted: the first and the last share what all share.
			first, last := c.prefixes[0].Prefix, c.prefixes[n-1].Prefix
			i := 0
			for i < len(first) && i < len(last) && first[i] == last[i] {
				i++
			}
			c.privLCP = first[:i]
		}
		for _, k := range f.Private.Keys {
			if _, dup := c.privByK[k.Key]; dup {
				return nil, fmt.Errorf("duplicate private key %q", k.Key)
			}
			c.privByK[k.Key] = k
			c.privKeys = append(c.privKeys, k)
		}
		sort.Slice(c.privKeys, func(i, j int) bool { return c.privKeys[i].Key < c.privKeys[j].Key })
	}
	c.names = make(map[string]Class, len(c.byKey)+len(c.hallByK)+len(c.infoByK)+len(c.privByK))
	for name := range c.hallByK {
		c.names[name] = c.classifyListed(name)
	}
	for name := range c.infoByK {
		c.names[name] = c.classifyListed(name)
	}
	for name := range c.privByK {
		c.names[name] = c.classifyListed(name)
	}
	for name, k := range c.byKey {
		c.names[name] = Class{Key: k}
	}
	c.sugg = buildSuggestIndex(c.keys)
	return c, nil
}

// Version returns the catalog's semantic version.
func (c *Catalog) Version() string { return c.version }

// FactsDate returns the date (YYYY-MM-DD) Apple's documentation was last
// read for this catalog.
func (c *Catalog) FactsDate() string { return c.factsDate }

// Lookup returns the real entitlement key named key (case-sensitive).
func (c *Catalog) Lookup(key string) (*Key, bool) {
	k, ok := c.byKey[key]
	return k, ok
}

// Keys returns every real key, sorted by name. The slice is a copy.
func (c *Catalog) Keys() []*Key { return append([]*Key(nil), c.keys...) }

// KeysFor returns the real keys available on platform p, sorted by name.
// The slice is a copy.
func (c *Catalog) KeysFor(p Platform) []*Key { return append([]*Key(nil), c.byPlat[p]...) }

// Hallucination returns the known wrong key named key. It never matches a
// real key.
func (c *Catalog) Hallucination(key string) (*Hallucination, bool) {
	if _, real := c.byKey[key]; real {
		return nil, false
	}
	h, ok := c.hallByK[key]
	return h, ok
}

// Class is everything the catalog knows about a key name: at most one of
// Key (a real entitlement) and the others is set, except that a private or
// Info.plist key can also be a known hallucination.
type Class struct {
	Key           *Key
	Hallucination *Hallucination
	InfoPlist     *InfoPlistKey
	Private       bool
}

// Classify answers Lookup, Hallucination, InfoPlist and IsPrivate at once,
// with one lookup of the real keys: the rules ask all four about every
// top-level key of a document.
func (c *Catalog) Classify(key string) Class {
	cl, listed := c.names[key]
	if cl.Key != nil {
		return cl
	}
	if !listed {
		// Not listed by name: only a pattern or a prefix can match.
		cl.InfoPlist = c.infoPattern(key)
		_, cl.Private = c.privatePrefix(key)
	}
	return cl
}

// classifyListed is Classify for a name that is not a real key, with every
// lookup spelled out (it fills the names map).
func (c *Catalog) classifyListed(key string) Class {
	var cl Class
	cl.Hallucination = c.hallByK[key]
	cl.InfoPlist, _ = c.infoPlist(key)
	_, cl.Private = c.private(key)
	return cl
}

// Hallucinations returns every known wrong key, sorted by key.
func (c *Catalog) Hallucinations() []*Hallucination {
	return append([]*Hallucination(nil), c.halls...)
}

// IsPrivate reports whether key is an Apple-private entitlement. It is never
// true for a real key.
func (c *Catalog) IsPrivate(key string) bool {
	_, ok := c.Private(key)
	return ok
}

// Private explains why key is Apple-private: an explicit entry first, then
// the longest matching prefix.
func (c *Catalog) Private(key string) (PrivateMatch, bool) {
	if _, real := c.byKey[key]; real {
		return PrivateMatch{}, false
	}
	return c.private(key)
}

func (c *Catalog) private(key string) (PrivateMatch, bool) {
	if k, ok := c.privByK[key]; ok {
		return PrivateMatch{Key: key, Reason: k.Reason, Source: k.Source}, true
	}
	return c.privatePrefix(key)
}

// privatePrefix matches key against the private namespaces: the longest wins.
func (c *Catalog) privatePrefix(key string) (PrivateMatch, bool) {
	var best *PrivatePrefix
	if !strings.HasPrefix(key, c.privLCP) {
		return PrivateMatch{}, false
	}
	for _, p := range c.prefixes {
		if strings.HasPrefix(key, p.Prefix) && (best == nil || len(p.Prefix) > len(best.Prefix)) {
			best = p
		}
	}
	if best == nil {
		return PrivateMatch{}, false
	}
	return PrivateMatch{Key: key, Prefix: best.Prefix, Reason: best.Reason, Source: best.Source}, true
}

// PrivatePrefixes returns the private namespaces, sorted.
func (c *Catalog) PrivatePrefixes() []*PrivatePrefix {
	return append([]*PrivatePrefix(nil), c.prefixes...)
}

// PrivateKeys returns the explicitly listed private keys, sorted.
func (c *Catalog) PrivateKeys() []*PrivateKey { return append([]*PrivateKey(nil), c.privKeys...) }

// InfoPlist reports whether key is an Info.plist key: from the explicit
// list, or else from the first matching pattern (then the result's Pattern
// is set). It is never true for a real key.
func (c *Catalog) InfoPlist(key string) (*InfoPlistKey, bool) {
	if _, real := c.byKey[key]; real {
		return nil, false
	}
	return c.infoPlist(key)
}

func (c *Catalog) infoPlist(key string) (*InfoPlistKey, bool) {
	if k, ok := c.infoByK[key]; ok {
		return k, true
	}
	k := c.infoPattern(key)
	return k, k != nil
}

// infoPattern matches key against the Info.plist patterns: the first wins.
func (c *Catalog) infoPattern(key string) *InfoPlistKey {
	// Cheap tests first: this runs for every key of every document, and
	// almost no key matches (entitlements start with "com.", Info.plist
	// patterns with capitals).
	if !c.patAny && (key == "" || !c.patFirst[key[0]]) {
		return nil
	}
	for i, re := range c.patRE {
		if !strings.HasPrefix(key, c.patLit[i]) {
			continue
		}
		if re.MatchString(key) {
			p := c.patterns[i]
			return &InfoPlistKey{Key: key, Summary: p.Summary, AddedIn: p.AddedIn, ChangedIn: p.ChangedIn, Pattern: p.Pattern}
		}
	}
	return nil
}

// InfoPlistKeys returns the explicit Info.plist keys, sorted.
func (c *Catalog) InfoPlistKeys() []*InfoPlistKey { return append([]*InfoPlistKey(nil), c.infoKeys...) }

// InfoPlistPatterns returns the Info.plist patterns in catalog order.
func (c *Catalog) InfoPlistPatterns() []*InfoPlistPattern {
	return append([]*InfoPlistPattern(nil), c.patterns...)
}

// anchoredLiteral returns the literal text an anchored pattern ("^NS[A-Z]")
// requires at the start of a match, or "" when it is not anchored.
func anchoredLiteral(pattern string) string {
	rest, ok := strings.CutPrefix(pattern, "^")
	if !ok {
		return ""
	}
	depth := 0
	for _, r := range pattern {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				return "" // a top-level alternative need not start with the literal
			}
		}
	}
	n := 0
	for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9' || rest[n] == '-' || rest[n] == '_') {
		n++
	}
	// A quantifier after the last literal character makes it optional.
	if n < len(rest) && strings.ContainsRune("*?{", rune(rest[n])) && n > 0 {
		n--
	}
	return rest[:n]
}
