// Package config reads entitlint's settings: the workspace file
// (.entitlint.json, found by walking up from the checked file), command-line
// flags and LSP settings all decode into the same Config, so the CLI and the
// editor run the same rules the same way.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/rules"
)

// FileName is the name of the workspace config file.
const FileName = ".entitlint.json"

// DefaultMaxFileSize is the size above which a document is not analysed.
const DefaultMaxFileSize = 10 << 20

// Config is one layer of settings. Zero fields mean "not set", so layers
// can be merged: flags over LSP settings over the workspace file.
type Config struct {
	// Platforms the entitlements are signed for.
	Platforms []string `json:"platforms,omitempty"`
	// MinVersions are deployment targets by platform, e.g. {"ios": "16.0"}.
	MinVersions map[string]string `json:"minVersions,omitempty"`
	// Distribution method: app-store, developer-id, ad-hoc, enterprise, development.
	Distribution string `json:"distribution,omitempty"`
	// TeamID is the 10-character Apple team identifier.
	TeamID string `json:"teamID,omitempty"`
	// Rules maps a rule ID to a severity: error, warning, info, hint or off.
	Rules map[string]string `json:"rules,omitempty"`
	// Catalogs are extra catalog files, relative to the config file.
	Catalogs []string `json:"catalogs,omitempty"`
	// Exclude holds globs (matched against slash paths relative to the
	// config file's directory, and against base names) of files to skip when
	// walking directories.
	Exclude []string `json:"exclude,omitempty"`
	// MaxFileSize in bytes; larger documents get one finding instead of a
	// full analysis. 0 means DefaultMaxFileSize.
	MaxFileSize int64 `json:"maxFileSize,omitempty"`
	// InfoPlist is the target's Info.plist, relative to the config file; the
	// infoplist-* rules cross-check the entitlements against it.
	InfoPlist string `json:"infoPlist,omitempty"`
	// Profile is the provisioning profile (.mobileprovision or
	// .provisionprofile) the entitlements are signed with, relative to the
	// config file; the profile-* rules check the entitlements against it.
	Profile string `json:"profile,omitempty"`

	// Dir is the directory relative paths resolve against (the config
	// file's directory); Path is the file it came from, if any.
	Dir  string `json:"-"`
	Path string `json:"-"`

	// infoPlistDir is the directory InfoPlist is relative to, when it came
	// from another layer than Dir (flags are relative to the working
	// directory).
	infoPlistDir string
	// profileDir is the same for Profile.
	profileDir string
}

// Platforms entitlint knows.
var knownPlatforms = []string{"ios", "ipados", "macos", "catalyst", "tvos", "watchos", "visionos", "driverkit"}

// Distribution methods entitlint knows.
var knownDistributions = []string{"app-store", "developer-id", "ad-hoc", "enterprise", "development"}

var (
	teamIDPattern  = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	versionPattern = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)
)

// Error is a problem in a config source, with a position when known.
type Error struct {
	Source    string // file name or "LSP settings"
	Line, Col int    // 1-based; 0 when unknown
	Field     string // JSON path of the field, e.g. "rules.unknown-key"
	Msg       string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse decodes a config from JSON. source names it in errors. Unknown
// fields and bad values are errors that name the field and its position.
// For LSP settings, an object of the form {"entitlint": {...}} is unwrapped.
func Parse(data []byte, source string) (*Config, error) {
	idx := lineindex.New(data)
	errAt := func(off int, field, msg string) error {
		l, c := idx.Position(off)
		return &Error{Source: source, Line: l, Col: c, Field: field, Msg: msg}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return &Config{}, nil
	}
	fields, err := objectFields(data, 0)
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, errAt(int(se.Offset), "", "invalid JSON: "+se.Error())
		}
		return nil, errAt(0, "", err.Error())
	}
	if f, ok := fields["entitlint"]; ok && len(fields) == 1 {
		if inner, err := objectFields(data, f.off); err == nil {
			fields = inner
		}
	}
	c := &Config{}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return fields[names[i]].keyOff < fields[names[j]].keyOff })
	for _, name := range names {
		f := fields[name]
		raw := data[f.off:f.end]
		decode := func(v any) error {
			if err := json.Unmarshal(raw, v); err != nil {
				return errAt(f.off, name, "wrong type: "+typeHint(v))
			}
			return nil
		}
		switch name {
		case "platforms":
			if err := decode(&c.Platforms); err != nil {
				return nil, err
			}
			for i, p := range c.Platforms {
				if !contains(knownPlatforms, p) {
					return nil, errAt(f.off, fmt.Sprintf("platforms[%d]", i), fmt.Sprintf("unknown platform %q (known: %s)", p, strings.Join(knownPlatforms, ", ")))
				}
			}
		case "minVersions":
			if err := decode(&c.MinVersions); err != nil {
				return nil, err
			}
			for p, v := range c.MinVersions {
				if !contains(knownPlatforms, p) {
					return nil, errAt(f.off, "minVersions."+p, fmt.Sprintf("unknown platform %q", p))
				}
				if !versionPattern.MatchString(v) {
					return nil, errAt(f.off, "minVersions."+p, fmt.Sprintf("%q is not a version like 16.0", v))
				}
			}
		case "distribution":
			if err := decode(&c.Distribution); err != nil {
				return nil, err
			}
			if !contains(knownDistributions, c.Distribution) {
				return nil, errAt(f.off, name, fmt.Sprintf("unknown distribution %q (known: %s)", c.Distribution, strings.Join(knownDistributions, ", ")))
			}
		case "teamID":
			if err := decode(&c.TeamID); err != nil {
				return nil, err
			}
			if !teamIDPattern.MatchString(c.TeamID) {
				return nil, errAt(f.off, name, fmt.Sprintf("%q is not a Team ID (10 upper-case letters and digits)", c.TeamID))
			}
		case "rules":
			if err := decode(&c.Rules); err != nil {
				return nil, err
			}
			for id, sev := range c.Rules {
				if _, ok := rules.Lookup(id); !ok {
					return nil, errAt(f.off, "rules."+id, fmt.Sprintf("unknown rule %q (see `entitlint rules`)", id))
				}
				if _, ok := rules.ParseSeverity(sev); !ok {
					return nil, errAt(f.off, "rules."+id, fmt.Sprintf("unknown severity %q (use error, warning, info, hint or off)", sev))
				}
			}
		case "catalogs":
			if err := decode(&c.Catalogs); err != nil {
				return nil, err
			}
		case "exclude":
			if err := decode(&c.Exclude); err != nil {
				return nil, err
			}
			for i, g := range c.Exclude {
				if _, err := filepath.Match(g, ""); err != nil {
					return nil, errAt(f.off, fmt.Sprintf("exclude[%d]", i), fmt.Sprintf("bad glob %q", g))
				}
			}
		case "maxFileSize":
			if err := decode(&c.MaxFileSize); err != nil {
				return nil, err
			}
			if c.MaxFileSize < 0 {
				return nil, errAt(f.off, name, "must not be negative")
			}
		case "infoPlist":
			if err := decode(&c.InfoPlist); err != nil {
				return nil, err
			}
			if strings.TrimSpace(c.InfoPlist) == "" {
				return nil, errAt(f.off, name, "must be a path to the target's Info.plist")
			}
		case "profile":
			if err := decode(&c.Profile); err != nil {
				return nil, err
			}
			if strings.TrimSpace(c.Profile) == "" {
				return nil, errAt(f.off, name, "must be a path to a provisioning profile (.mobileprovision or .provisionprofile)")
			}
		default:
			return nil, errAt(f.keyOff, name, "unknown field (known: platforms, minVersions, distribution, teamID, rules, catalogs, exclude, maxFileSize, infoPlist, profile)")
		}
	}
	return c, nil
}

func typeHint(v any) string {
	switch v.(type) {
	case *[]string:
		return "expected an array of strings"
	case *map[string]string:
		return "expected an object of strings"
	case *string:
		return "expected a string"
	case *int64:
		return "expected a number"
	}
	return "unexpected value"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type field struct{ keyOff, off, end int }

// objectFields reads the JSON object starting at data[start:] and returns
// the byte offsets of each member's key and value.
func objectFields(data []byte, start int) (map[string]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("expected a JSON object")
	}
	out := map[string]field{}
	for dec.More() {
		keyOff := start + int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		end := start + int(dec.InputOffset())
		off := end - len(raw)
		out[name] = field{keyOff: skipSpaceAndComma(data, keyOff), off: off, end: end}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

func skipSpaceAndComma(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r' || data[i] == ',') {
		i++
	}
	return i
}

// Load reads and parses a config file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	c.Path = abs
	c.Dir = filepath.Dir(abs)
	return c, nil
}

// Find walks up from dir looking for FileName and returns its path, or ""
// if there is none up to the file system root.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// ForFile finds and loads the workspace config that applies to a file. It
// returns an empty config when there is none.
func ForFile(path string) (*Config, error) {
	p := Find(filepath.Dir(path))
	if p == "" {
		return &Config{}, nil
	}
	return Load(p)
}

// Merge returns base with every field set in over replacing base's; rule
// severities merge per rule.
func Merge(base, over *Config) *Config {
	if base == nil {
		base = &Config{}
	}
	out := *base
	if over == nil {
		return &out
	}
	if len(over.Platforms) > 0 {
		out.Platforms = over.Platforms
	}
	if len(over.MinVersions) > 0 {
		out.MinVersions = over.MinVersions
	}
	if over.Distribution != "" {
		out.Distribution = over.Distribution
	}
	if over.TeamID != "" {
		out.TeamID = over.TeamID
	}
	if len(over.Rules) > 0 {
		out.Rules = map[string]string{}
		for k, v := range base.Rules {
			out.Rules[k] = v
		}
		for k, v := range over.Rules {
			out.Rules[k] = v
		}
	}
	if len(over.Catalogs) > 0 {
		out.Catalogs = over.Catalogs
		out.Dir = over.Dir
	}
	if len(over.Exclude) > 0 {
		out.Exclude = over.Exclude
	}
	if over.MaxFileSize > 0 {
		out.MaxFileSize = over.MaxFileSize
	}
	if out.InfoPlist != "" && out.infoPlistDir == "" {
		out.infoPlistDir = base.Dir // keep base's anchor if Dir changes below
	}
	if over.InfoPlist != "" {
		out.InfoPlist = over.InfoPlist
		out.infoPlistDir = over.infoPlistDir
		if out.infoPlistDir == "" {
			out.infoPlistDir = over.Dir
		}
	}
	if out.Profile != "" && out.profileDir == "" {
		out.profileDir = base.Dir // keep base's anchor if Dir changes below
	}
	if over.Profile != "" {
		out.Profile = over.Profile
		out.profileDir = over.profileDir
		if out.profileDir == "" {
			out.profileDir = over.Dir
		}
	}
	if over.Path != "" {
		out.Path = over.Path
		if out.Dir == "" {
			out.Dir = over.Dir
		}
	}
	return &out
}

// CatalogPaths returns the extra catalog files resolved against Dir.
func (c *Config) CatalogPaths() []string {
	out := make([]string, 0, len(c.Catalogs))
	for _, p := range c.Catalogs {
		if !filepath.IsAbs(p) && c.Dir != "" {
			p = filepath.Join(c.Dir, p)
		}
		out = append(out, p)
	}
	return out
}

// InfoPlistPath returns the Info.plist resolved against the directory of
// the layer that set it, or "" when none is set.
func (c *Config) InfoPlistPath() string { return c.resolve(c.InfoPlist, c.infoPlistDir) }

// resolve makes p absolute against dir (the directory of the layer that set
// it), or the config's own directory.
func (c *Config) resolve(p, dir string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if dir == "" {
		dir = c.Dir
	}
	if dir != "" {
		p = filepath.Join(dir, p)
	}
	return p
}

// LoadInfoPlist reads and parses an Info.plist for the rules. A file that is
// not a property list with a dict root is an error: the cross-checks would
// otherwise report every purpose string as missing.
//
// The path may come from a config file anyone wrote (a cloned repository, a
// pull request checked in CI), so the file is read up to a bound (it may be
// /dev/zero) and its text is never quoted in errors: the parser's message
// would print the first bytes of /proc/self/environ or of a key file.
func LoadInfoPlist(path string) (*plistxml.Document, error) {
	data, err := readLimited(path, maxInfoPlistSize)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("infoPlist %s: %w", path, err)
	}
	doc := plistxml.Parse(data)
	for _, pr := range doc.Problems {
		if pr.Severity == plistxml.SevError && pr.Code == plistxml.CodeSyntax {
			line := 1 + bytes.Count(data[:max(0, min(pr.Span.Start, len(data)))], []byte("\n"))
			return nil, fmt.Errorf("infoPlist %s:%d: not a valid property list (plutil -lint shows why)", path, line)
		}
	}
	if doc.RootDict() == nil {
		return nil, fmt.Errorf("infoPlist %s: not a property list with a dictionary at its root", path)
	}
	return doc, nil
}

// maxInfoPlistSize bounds the Info.plist read for the rules.
const maxInfoPlistSize = 10 << 20

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d MB", limit>>20)
	}
	return data, nil
}

// ProfilePath returns the provisioning profile resolved against the
// directory of the layer that set it, or "" when none is set.
func (c *Config) ProfilePath() string { return c.resolve(c.Profile, c.profileDir) }

// LoadProfile reads a provisioning profile for the rules. A file that is not
// a provisioning profile is an error that says why.
func LoadProfile(path string) (*profile.Profile, error) {
	pr, err := profile.Load(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("profile %s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("profile %w", err) // *profile.Error names the file
	}
	return pr, nil
}

// Excluded reports whether a file found while walking a directory is
// excluded by the config.
func (c *Config) Excluded(path string) bool {
	rel := path
	if c.Dir != "" {
		if r, err := filepath.Rel(c.Dir, path); err == nil {
			rel = r
		}
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.Exclude {
		if ok, _ := filepath.Match(g, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(g, filepath.Base(path)); ok {
			return true
		}
		// "dir/**" style: a glob that names a directory prefix.
		if strings.HasSuffix(g, "/**") && strings.HasPrefix(rel, strings.TrimSuffix(g, "**")) {
			return true
		}
	}
	return false
}

// Limit returns the effective maximum file size.
func (c *Config) Limit() int64 {
	if c.MaxFileSize > 0 {
		return c.MaxFileSize
	}
	return DefaultMaxFileSize
}

// Targets converts the config's target fields for the rules.
func (c *Config) Targets() rules.Targets {
	return rules.Targets{Platforms: c.Platforms, MinVersions: c.MinVersions, Distribution: c.Distribution, TeamID: c.TeamID}
}

// Severities converts the config's rule settings (validated by Parse).
func (c *Config) Severities() map[string]rules.Severity {
	if len(c.Rules) == 0 {
		return nil
	}
	out := make(map[string]rules.Severity, len(c.Rules))
	for id, s := range c.Rules {
		if sev, ok := rules.ParseSeverity(s); ok {
			out[id] = sev
		}
	}
	return out
}

// Write encodes the config as indented JSON (for `entitlint init`-style use and tests).
func (c *Config) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// Options builds the rules' options from a merged config, loading its
// extra catalogs (the built-in catalog is always the base).
func (c *Config) Options() (rules.Options, error) {
	opts := rules.Options{Targets: c.Targets(), Severity: c.Severities(), MaxFileSize: c.Limit()}
	if p := c.InfoPlistPath(); p != "" {
		doc, err := LoadInfoPlist(p)
		if err != nil {
			return rules.Options{}, err
		}
		opts.InfoPlist, opts.InfoPlistPath = doc, displayPath(p)
	}
	if p := c.ProfilePath(); p != "" {
		pr, err := LoadProfile(p)
		if err != nil {
			return rules.Options{}, err
		}
		pr.Path = displayPath(p)
		opts.Profile = pr
	}
	if paths := c.CatalogPaths(); len(paths) > 0 {
		cat, err := catalog.Load(paths...)
		if err != nil {
			return rules.Options{}, err
		}
		opts.Catalog = cat
	}
	return opts, nil
}

// displayPath shortens an absolute path to one relative to the working
// directory when it lies below it, for messages.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
