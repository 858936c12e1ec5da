package catalog

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// LoadError is a problem in a catalog file, with its position.
type LoadError struct {
	File string // the path as given to Load
	Line int    // 1-based
	Col  int    // 1-based, in characters
	Path string // JSON path of the offending field, e.g. keys[3].type; empty for syntax errors
	Msg  string
}

// Error formats the error as "file:line:col: path: message".
func (e *LoadError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Col, e.Path, e.Msg)
}

var (
	schemaOnce sync.Once
	schemaVal  *schemaValidator
	schemaErr  error
)

func embeddedSchema() (*schemaValidator, error) {
	schemaOnce.Do(func() { schemaVal, schemaErr = compileSchema(schemaJSON) })
	return schemaVal, schemaErr
}

// Load returns the builtin catalog merged with extra catalog files.
//
// Extra files use the same format as the embedded entitlements.json (see
// schema.json); every top-level field is optional, but a file must have at
// least one of keys, hallucinations, infoPlistKeys, infoPlistPatterns or
// private. Their version and factsDate, if present, are validated but the
// merged catalog keeps the builtin's.
//
// Precedence: builtin < extra files in the order given. A later entry
// replaces an earlier one with the same name as a whole (real keys and
// hallucinations by key, Info.plist keys by key, patterns by pattern,
// private entries by key or prefix). Declaring a name as a real key removes
// any earlier hallucination, Info.plist or private entry for it, and
// declaring it a hallucination, Info.plist key or private key removes an
// earlier real key, so the last declaration wins.
//
// Errors never drop the builtin silently: Load either returns the merged
// catalog or an error. A malformed file gives a *LoadError naming the file,
// line:col and field; a file that cannot be read gives the *os.PathError
// (wrapped, so errors.Is(err, fs.ErrNotExist) works).
func Load(extraPaths ...string) (*Catalog, error) {
	base := Builtin()
	if len(extraPaths) == 0 {
		return base, nil
	}
	sv, err := embeddedSchema()
	if err != nil {
		return nil, err
	}
	m := newMerger(base)
	for _, p := range extraPaths {
		data, err := readCatalog(p)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		f, origins, err := parseFile(p, data, sv)
		if err != nil {
			return nil, err
		}
		m.add(f, origins)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return newCatalog(m.file())
}

// source is one parsed catalog file.
type source struct {
	name string
	data []byte
	root *jnode
}

func (s *source) errAt(off int, path, msg string) *LoadError {
	line, col := lineCol(s.data, off)
	return &LoadError{File: s.name, Line: line, Col: col, Path: path, Msg: msg}
}

// origin locates an entry (an object in one of the file's arrays).
type origin struct {
	src  *source
	node *jnode
	path string
}

// fieldErr reports msg at the entry's field (or at item idx of an array
// field when idx >= 0); without a field, at the entry itself.
func (o *origin) fieldErr(field string, idx int, msg string) *LoadError {
	if field == "" {
		return o.src.errAt(o.node.off, o.path, msg)
	}
	m, ok := o.node.member(field)
	if !ok {
		return o.src.errAt(o.node.off, o.path, msg)
	}
	path := o.path + "." + field
	if idx >= 0 && m.val.kind == jArray && idx < len(m.val.items) {
		return o.src.errAt(m.val.items[idx].off, fmt.Sprintf("%s[%d]", path, idx), msg)
	}
	return o.src.errAt(m.nameOff, path, msg)
}

// subErr reports msg at member sub of object field (e.g. platformReplacements.macos).
func (o *origin) subErr(field, sub, msg string) *LoadError {
	m, ok := o.node.member(field)
	if !ok {
		return o.fieldErr("", -1, msg)
	}
	if s, ok := m.val.member(sub); ok {
		return o.src.errAt(s.nameOff, o.path+"."+field+"."+sub, msg)
	}
	return o.fieldErr(field, -1, msg)
}

// parseFile parses and validates one catalog file: JSON syntax, the schema,
// and the checks that need only this file.
func parseFile(name string, data []byte, sv *schemaValidator) (*file, map[any]*origin, error) {
	root, err := parseJSONTree(data)
	if err != nil {
		se := err.(*jsonSyntaxError)
		src := &source{name: name, data: data}
		return nil, nil, src.errAt(se.off, "", se.msg)
	}
	src := &source{name: name, data: data, root: root}
	if vi := sv.validate(root); vi != nil {
		return nil, nil, src.errAt(vi.off, vi.path, vi.msg)
	}
	f, err := decodeFile(data)
	if err != nil {
		return nil, nil, src.errAt(0, "", err.Error())
	}
	origins := map[any]*origin{}
	items := func(field string) []*jnode {
		if m, ok := root.member(field); ok {
			return m.val.items
		}
		return nil
	}
	for i, k := range f.Keys {
		origins[k] = &origin{src, items("keys")[i], fmt.Sprintf("keys[%d]", i)}
	}
	for i, h := range f.Hallucinations {
		origins[h] = &origin{src, items("hallucinations")[i], fmt.Sprintf("hallucinations[%d]", i)}
	}
	for i, k := range f.InfoPlistKeys {
		origins[k] = &origin{src, items("infoPlistKeys")[i], fmt.Sprintf("infoPlistKeys[%d]", i)}
	}
	for i, p := range f.InfoPlistPatterns {
		origins[p] = &origin{src, items("infoPlistPatterns")[i], fmt.Sprintf("infoPlistPatterns[%d]", i)}
	}
	if f.Private != nil {
		pm, _ := root.member("private")
		sub := func(field string) []*jnode {
			if m, ok := pm.val.member(field); ok {
				return m.val.items
			}
			return nil
		}
		for i, p := range f.Private.Prefixes {
			origins[p] = &origin{src, sub("prefixes")[i], fmt.Sprintf("private.prefixes[%d]", i)}
		}
		for i, k := range f.Private.Keys {
			origins[k] = &origin{src, sub("keys")[i], fmt.Sprintf("private.keys[%d]", i)}
		}
	}
	if err := checkFile(f, origins); err != nil {
		return nil, nil, err
	}
	return f, origins, nil
}

// checkFile runs the checks that need only one file: no duplicates, no name
// declared as two incompatible kinds, patterns compile, values fit the type.
func checkFile(f *file, origins map[any]*origin) error {
	kind := map[string]string{} // name -> "real key", …
	claim := func(name, what string, o *origin) error {
		if prev, ok := kind[name]; ok {
			if prev == what {
				return o.fieldErr("key", -1, fmt.Sprintf("duplicate %s %q", what, name))
			}
			// A hallucination may also be an Info.plist key (e.g. UIBackgroundModes).
			pair := prev + "/" + what
			if pair != "hallucination/Info.plist key" && pair != "Info.plist key/hallucination" {
				return o.fieldErr("key", -1, fmt.Sprintf("%q is already declared as a %s", name, prev))
			}
		}
		kind[name] = what
		return nil
	}
	for _, k := range f.Keys {
		o := origins[k]
		if err := claim(k.Key, "real key", o); err != nil {
			return err
		}
		if len(k.Values) > 0 {
			switch k.Type {
			case TypeString, TypeInteger, TypeArrayOfStrings, TypeStringOrArray:
			default:
				return o.fieldErr("values", -1, fmt.Sprintf("a %s key cannot enumerate values", k.Type))
			}
			seen := map[string]bool{}
			for i, v := range k.Values {
				if seen[v.Value] {
					return o.fieldErr("values", i, fmt.Sprintf("duplicate value %q", v.Value))
				}
				seen[v.Value] = true
			}
		}
		if k.ValuesOpen && len(k.Values) == 0 {
			return o.fieldErr("valuesOpen", -1, "valuesOpen needs values")
		}
		if k.Deprecated != nil && k.Deprecated.Successor == k.Key {
			return o.fieldErr("deprecated", -1, "a key cannot succeed itself")
		}
	}
	for _, h := range f.Hallucinations {
		if err := claim(h.Key, "hallucination", origins[h]); err != nil {
			return err
		}
	}
	for _, k := range f.InfoPlistKeys {
		if err := claim(k.Key, "Info.plist key", origins[k]); err != nil {
			return err
		}
	}
	seenPat := map[string]bool{}
	for _, p := range f.InfoPlistPatterns {
		o := origins[p]
		if seenPat[p.Pattern] {
			return o.fieldErr("pattern", -1, fmt.Sprintf("duplicate pattern %q", p.Pattern))
		}
		seenPat[p.Pattern] = true
		if _, err := regexp.Compile(p.Pattern); err != nil {
			return o.fieldErr("pattern", -1, "invalid regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	if f.Private != nil {
		seenPre := map[string]bool{}
		for _, p := range f.Private.Prefixes {
			if seenPre[p.Prefix] {
				return origins[p].fieldErr("prefix", -1, fmt.Sprintf("duplicate prefix %q", p.Prefix))
			}
			seenPre[p.Prefix] = true
		}
		for _, k := range f.Private.Keys {
			if err := claim(k.Key, "private key", origins[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// merger layers catalog files.
type merger struct {
	base     *Catalog
	keys     map[string]*Key
	halls    map[string]*Hallucination
	info     map[string]*InfoPlistKey
	patterns []*InfoPlistPattern
	prefixes map[string]*PrivatePrefix
	priv     map[string]*PrivateKey
	origins  map[any]*origin
}

func newMerger(c *Catalog) *merger {
	m := &merger{
		base:     c,
		keys:     map[string]*Key{},
		halls:    map[string]*Hallucination{},
		info:     map[string]*InfoPlistKey{},
		patterns: append([]*InfoPlistPattern(nil), c.patterns...),
		prefixes: map[string]*PrivatePrefix{},
		priv:     map[string]*PrivateKey{},
		origins:  map[any]*origin{},
	}
	for _, k := range c.keys {
		m.keys[k.Key] = k
	}
	for _, h := range c.halls {
		m.halls[h.Key] = h
	}
	for _, k := range c.infoKeys {
		m.info[k.Key] = k
	}
	for _, p := range c.prefixes {
		m.prefixes[p.Prefix] = p
	}
	for _, k := range c.privKeys {
		m.priv[k.Key] = k
	}
	return m
}

func (m *merger) add(f *file, origins map[any]*origin) {
	for e, o := range origins {
		m.origins[e] = o
	}
	for _, k := range f.Keys {
		m.keys[k.Key] = k
		delete(m.halls, k.Key)
		delete(m.info, k.Key)
		delete(m.priv, k.Key)
	}
	for _, h := range f.Hallucinations {
		m.halls[h.Key] = h
		delete(m.keys, h.Key)
	}
	for _, k := range f.InfoPlistKeys {
		m.info[k.Key] = k
		delete(m.keys, k.Key)
	}
	for _, p := range f.InfoPlistPatterns {
		replaced := false
		for i, q := range m.patterns {
			if q.Pattern == p.Pattern {
				m.patterns[i] = p
				replaced = true
			}
		}
		if !replaced {
			m.patterns = append(m.patterns, p)
		}
	}
	if f.Private != nil {
		for _, p := range f.Private.Prefixes {
			m.prefixes[p.Prefix] = p
		}
		for _, k := range f.Private.Keys {
			m.priv[k.Key] = k
			delete(m.keys, k.Key)
		}
	}
}

// check verifies references across the merged layers.
func (m *merger) check() error {
	fail := func(entry any, field string, idx int, sub string, name, msg string) error {
		if o, ok := m.origins[entry]; ok {
			if sub != "" {
				return o.subErr(field, sub, msg)
			}
			return o.fieldErr(field, idx, msg)
		}
		return fmt.Errorf("catalog: builtin entry %q: %s (after merging extra files)", name, msg)
	}
	unknown := func(ref string) string { return fmt.Sprintf("unknown key %q", ref) }
	for _, name := range sortedNames(m.halls) {
		h := m.halls[name]
		if h.Replacement != "" && m.keys[h.Replacement] == nil {
			return fail(h, "replacement", -1, "", name, unknown(h.Replacement))
		}
		for _, p := range sortedNames(h.PlatformReplacements) {
			if r := h.PlatformReplacements[p]; m.keys[r] == nil {
				return fail(h, "platformReplacements", -1, string(p), name, unknown(r))
			}
		}
		for i, a := range h.Alternatives {
			if m.keys[a] == nil {
				return fail(h, "alternatives", i, "", name, unknown(a))
			}
		}
	}
	for _, name := range sortedNames(m.keys) {
		k := m.keys[name]
		for i, r := range k.Related {
			if m.keys[r] == nil {
				return fail(k, "related", i, "", name, unknown(r))
			}
		}
		if k.Deprecated != nil && k.Deprecated.Successor != "" && m.keys[k.Deprecated.Successor] == nil {
			return fail(k, "deprecated", -1, "", name, "successor: "+unknown(k.Deprecated.Successor))
		}
	}
	return nil
}

func (m *merger) file() *file {
	f := &file{Version: m.base.version, FactsDate: m.base.factsDate, Private: &privateSection{}}
	for _, n := range sortedNames(m.keys) {
		f.Keys = append(f.Keys, m.keys[n])
	}
	for _, n := range sortedNames(m.halls) {
		f.Hallucinations = append(f.Hallucinations, m.halls[n])
	}
	for _, n := range sortedNames(m.info) {
		f.InfoPlistKeys = append(f.InfoPlistKeys, m.info[n])
	}
	f.InfoPlistPatterns = m.patterns
	for _, n := range sortedNames(m.prefixes) {
		f.Private.Prefixes = append(f.Private.Prefixes, m.prefixes[n])
	}
	for _, n := range sortedNames(m.priv) {
		f.Private.Keys = append(f.Private.Keys, m.priv[n])
	}
	return f
}

func sortedNames[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// maxCatalogSize bounds an extra catalog file: its path may come from a
// config file anyone wrote, and may name /dev/zero. The built-in catalog
// is a few hundred KB.
const maxCatalogSize = 64 << 20

func readCatalog(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCatalogSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCatalogSize {
		return nil, fmt.Errorf("%s: larger than %d MB", path, maxCatalogSize>>20)
	}
	return data, nil
}
