package errdecode

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// Location is a place in an entitlements file that a message is about.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`   // 1-based
	Column int    `json:"column"` // 1-based, in code points
	Key    string `json:"key,omitempty"`
	Note   string `json:"note"`
}

func (l Location) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", l.File, l.Line, l.Column, l.Note)
}

// suspiciousRules are the findings that explain "the profile does not
// allow what was signed" when the message names no key.
var suspiciousRules = map[string]bool{
	"hallucinated-key": true, "private-entitlement": true, "unknown-key": true, "info-plist-key": true,
}

// amfiRules are the findings that explain an AMFI parse error.
var amfiRules = map[string]bool{
	"syntax": true, "comment-double-hyphen": true, "unsupported-value-type": true, "duplicate-key": true,
}

var appGroupShape = regexp.MustCompile(`^(?:group\.|[A-Z0-9]{10}\.|\$\(TeamIdentifierPrefix\)|\$\{TeamIdentifierPrefix\})[A-Za-z0-9$({]`)

// Locate finds the places in one entitlements file (name as shown, src its
// bytes) that a decoded message is about.
func (d *Decoded) Locate(name string, src []byte, cat *catalog.Catalog) []Location {
	if cat == nil {
		cat = catalog.Builtin()
	}
	doc := plistxml.Parse(src)
	idx := lineindex.New(src)
	at := func(s plistxml.Span, key, note string) Location {
		l := Location{File: name, Line: 1, Column: 1, Key: key, Note: note}
		if s.IsValid() {
			l.Line, l.Column = idx.Position(s.Start)
		}
		return l
	}
	root := doc.RootDict()
	var out []Location
	entries := func(key string) []*plistxml.Entry {
		var es []*plistxml.Entry
		if root != nil {
			for _, e := range root.Entries() {
				if e.Key == key {
					es = append(es, e)
				}
			}
		}
		return es
	}
	// Keys the message names.
	for _, k := range d.Keys {
		for _, e := range entries(k.Key) {
			out = append(out, at(e.KeyText, k.Key, keyNote(d, k)))
		}
	}
	// Values the message names.
	for _, k := range d.Keys {
		for _, e := range entries(k.Key) {
			if e.Value == nil {
				continue
			}
			for _, n := range stringItems(e.Value) {
				v := strings.TrimSpace(n.Text)
				switch {
				case contains(d.Values, v) && v != "":
					out = append(out, at(n.Content(), k.Key, fmt.Sprintf("%s = %q, the value the message names", k.Key, v)))
				case k.Key == "com.apple.security.application-groups" && d.Kind == "asc-unsupported-entitlement" && !appGroupShape.MatchString(v):
					out = append(out, at(n.Content(), k.Key, fmt.Sprintf("app group %q is neither group.<name> nor <TeamID>.<name>", v)))
				}
			}
		}
	}
	switch d.Kind {
	case "private-entitlement-required":
		for _, e := range entries("com.apple.security.application-groups") {
			for _, n := range stringItems(e.Value) {
				if v := strings.TrimSpace(n.Text); strings.HasPrefix(v, "group.com.apple.") || strings.HasPrefix(v, "group.is.workflow.") {
					out = append(out, at(n.Content(), e.Key, fmt.Sprintf("%q is one of Apple's app groups: using it needs %s", v, keyNames(d.Keys))))
				}
			}
		}
	case "asc-sandbox-not-enabled":
		if es := entries("com.apple.security.app-sandbox"); len(es) == 0 {
			out = append(out, at(rootSpan(root), "", "no com.apple.security.app-sandbox in this file"))
		} else if v := es[len(es)-1].Value; v == nil || v.Kind != plistxml.True {
			out = append(out, at(es[len(es)-1].KeyText, es[0].Key, "com.apple.security.app-sandbox is not <true/>"))
		}
	case "asc-missing-push":
		if len(entries("aps-environment")) == 0 && len(entries("com.apple.developer.aps-environment")) == 0 {
			out = append(out, at(rootSpan(root), "", "no aps-environment in this file"))
		}
	case "invalid-entitlements-install", "automatic-signing-failed", "trusted-execution-kill", "amfi-syntax-error", "asc-key-not-in-profile":
		want := suspiciousRules
		if d.Kind == "amfi-syntax-error" {
			want = amfiRules
		}
		for _, f := range rules.Check(src, rules.Options{Catalog: cat}).Findings {
			if want[f.Rule] {
				out = append(out, at(f.Span, f.Key, f.Message+" ["+f.Rule+"]"))
			}
		}
		if d.Kind == "trusted-execution-kill" && root != nil {
			for _, e := range root.Entries() {
				// App groups are validation-required on macOS: an
				// unauthorised claim does not kill the process.
				if k, ok := cat.Lookup(e.Key); ok && k.AvailableOn(catalog.MacOS) && e.Key != "com.apple.security.application-groups" &&
					(k.Restriction == catalog.RestrictionProfile || k.Restriction == catalog.RestrictionApproval || k.Restriction == catalog.RestrictionManaged) {
					out = append(out, at(e.KeyText, e.Key, e.Key+" is restricted: the embedded provisioning profile must authorise it"))
				}
			}
		}
		if d.nearLine > 0 && d.nearLine <= idx.LineCount() {
			out = append(out, Location{File: name, Line: d.nearLine, Column: 1,
				Note: fmt.Sprintf("line %d, where AMFI stopped (in the processed copy Xcode signs, which can differ slightly)", d.nearLine)})
		}
	}
	return dedupe(out)
}

func keyNote(d *Decoded, k KeyInfo) string {
	switch k.Status {
	case "hallucinated":
		if k.InfoPlistKey != "" {
			return fmt.Sprintf("%s is not an entitlement: it belongs in Info.plist (%s)", k.Key, k.InfoPlistKey)
		}
		if k.Replacement != "" {
			return fmt.Sprintf("%s is not an entitlement: use %s", k.Key, k.Replacement)
		}
		return fmt.Sprintf("%s is not an entitlement: remove it", k.Key)
	case "private":
		return fmt.Sprintf("%s is Apple-private: remove it", k.Key)
	case "info-plist":
		return fmt.Sprintf("%s belongs in Info.plist", k.Key)
	case "unknown":
		return fmt.Sprintf("%s is not a known entitlement", k.Key)
	}
	if len(d.InfoPlistKeys) > 0 {
		return fmt.Sprintf("%s needs %s in Info.plist", k.Key, strings.Join(d.InfoPlistKeys, ", "))
	}
	return k.Key + " is claimed here"
}

func rootSpan(root *plistxml.Node) plistxml.Span {
	if root == nil {
		return plistxml.NoSpan
	}
	return root.OpenTag()
}

func stringItems(v *plistxml.Node) []*plistxml.Node {
	if v == nil {
		return nil
	}
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(in []Location) []Location {
	seen := map[string]bool{}
	var out []Location
	for _, l := range in {
		k := fmt.Sprintf("%s:%d:%d:%s", l.File, l.Line, l.Column, l.Note)
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}
