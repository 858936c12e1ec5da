package lsp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/rules"
)

// catalogVersion is the built-in catalog's version, shown in serverInfo.
func catalogVersion() string { return catalog.BuiltinVersion() }

// Hover describes the key or value under the cursor from the catalog.
func (s *server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	snap := s.requestSnapshot(ctx, params.TextDocument.URI)
	if snap == nil {
		return nil, nil
	}
	doc := snap.parsed()
	if doc == nil {
		return nil, nil
	}
	loc := locate(doc, snap.offset(params.Position))
	if loc.top == nil {
		return nil, nil
	}
	c, targets := snap.catalog(), snap.conf.opts.Targets.Platforms
	var md string
	var span plistxml.Span
	switch {
	case loc.entry == loc.top:
		md, span = keyHover(c, loc.top.Key, targets), loc.top.KeySpan
	case loc.entry != nil:
		return nil, nil // a key inside an entitlement's dict: not in the catalog
	case loc.node != nil && (loc.node.Kind == plistxml.String):
		md, span = valueHover(c, loc.top.Key, loc.node.Text, targets), loc.node.Span()
	default:
		md, span = keyHover(c, loc.top.Key, targets), loc.top.KeySpan
		if loc.node != nil {
			span = loc.node.Span()
		}
	}
	if md == "" {
		return nil, nil
	}
	if pr := snap.conf.opts.Profile; pr != nil {
		line := profileLine(rules.ProfileEntry(doc, snap.conf.opts, loc.top), pr, time.Now())
		md = insertBeforeFooter(md, line)
	}
	r := snap.rangeOf(span)
	return &protocol.Hover{Contents: s.markup(md, s.caps.markdownHover), Range: &r}, ctx.Err()
}

// profileLine says in one line whether the provisioning profile in effect
// authorises the hovered entitlement, with the answer the profile-* rules
// give (rules.ProfileEntry).
func profileLine(v rules.ProfileVerdict, pr *profile.Profile, now time.Time) string {
	name := fmt.Sprintf("%q", pr.Name)
	switch v.Status {
	case rules.ProfileAuthorised:
		line := "✓ authorised by profile " + name
		switch {
		case pr.ExpirationDate.IsZero():
		case pr.Expired(now):
			line += " (expired " + pr.ExpirationDate.Format("2006-01-02") + ")"
		default:
			line += " (expires " + pr.ExpirationDate.Format("2006-01-02") + ")"
		}
		return line
	case rules.ProfileNotNeeded:
		return "✓ needs no provisioning profile (profile " + name + " is in use)"
	case rules.ProfileUnchecked:
		return "✓ in profile " + name + " (the value is not compared: a build variable only Xcode resolves, or a value the profile does not list as strings)"
	case rules.ProfileMissing:
		return "✗ not in profile " + name
	case rules.ProfileValueNotCovered:
		vals := make([]string, len(v.Uncovered))
		for i, u := range v.Uncovered {
			vals[i] = fmt.Sprintf("`%s`", u)
		}
		return "✗ value not covered by profile " + name + ": " + strings.Join(vals, ", ")
	case rules.ProfileWrongPlatform:
		return "✗ profile " + name + " is for " + strings.Join(pr.PlatformNames(), ", ") + ", not this file's platforms"
	case rules.ProfileNothingClaimed:
		return "claims nothing, so profile " + name + " need not include it"
	}
	return ""
}

// insertBeforeFooter adds a paragraph above the "entitlint catalog" footer.
func insertBeforeFooter(md, line string) string {
	if line == "" {
		return md
	}
	if i := strings.LastIndex(md, "\n---\n"); i >= 0 {
		return md[:i] + "\n" + line + "\n" + md[i:]
	}
	return md + "\n" + line + "\n"
}

// markup wraps Markdown, or strips its marks for clients that cannot
// render it.
func (s *server) markup(md string, markdown bool) protocol.MarkupContent {
	if markdown {
		return protocol.MarkupContent{Kind: protocol.Markdown, Value: md}
	}
	r := strings.NewReplacer("**", "", "`", "", "### ", "", "\\", "")
	return protocol.MarkupContent{Kind: protocol.PlainText, Value: r.Replace(md)}
}

// location is what a byte offset points at in the tree.
type location struct {
	top   *plistxml.Entry // the top-level entry containing the offset
	entry *plistxml.Entry // the entry whose <key> contains the offset
	node  *plistxml.Node  // the innermost value containing the offset
	dict  *plistxml.Node  // the innermost dict containing the offset
}

func locate(doc *plistxml.Document, off int) location {
	var loc location
	n := doc.Root
	for n != nil {
		next := (*plistxml.Node)(nil)
		switch n.Kind {
		case plistxml.Dict:
			if !n.Span().IsValid() || n.Span().Contains(off) {
				loc.dict = n
			}
			for _, e := range n.Entries() {
				if e.KeySpan.Contains(off) {
					if n == doc.Root {
						loc.top = e
					}
					loc.entry = e
					return loc
				}
				if e.Value != nil && e.Value.Span().Contains(off) {
					if n == doc.Root {
						loc.top = e
					}
					next = e.Value
					break
				}
			}
		case plistxml.Array:
			for _, item := range n.Items() {
				if item.Span().Contains(off) {
					next = item
					break
				}
			}
		}
		if next == nil {
			break
		}
		loc.node = next
		n = next
	}
	return loc
}

// keyHover describes any key: a real one, a known mistake, a private or
// Info.plist key, or an unknown one with suggestions.
func keyHover(c *catalog.Catalog, key string, targets []string) string {
	var b strings.Builder
	if k, ok := c.Lookup(key); ok {
		writeKeyDoc(&b, k, targets)
	} else if h, ok := c.Hallucination(key); ok {
		writeHallucination(&b, c, h, targets)
	} else if p, ok := c.Private(key); ok {
		fmt.Fprintf(&b, "### `%s` is an Apple-private entitlement\n\n%s\n\nOnly Apple's own code can be signed with it: no provisioning profile can grant it to your app, which would fail to launch. Remove it.\n", key, p.Reason)
	} else if ip, ok := c.InfoPlist(key); ok {
		fmt.Fprintf(&b, "### `%s` belongs in Info.plist\n\n%s\n\nIt has no effect in an entitlements file: move it to the target's Info.plist.\n", key, ip.Summary)
	} else {
		fmt.Fprintf(&b, "### `%s` is not a known entitlement\n\n", key)
		if sugg := c.Suggest(key, 3); len(sugg) > 0 {
			b.WriteString("Did you mean:\n\n")
			for _, sg := range sugg {
				title := ""
				if k, ok := c.Lookup(sg.Key); ok {
					title = " — " + k.Title
				}
				fmt.Fprintf(&b, "- `%s`%s\n", sg.Key, title)
			}
		} else {
			b.WriteString("Check the spelling against Apple's documentation; the system ignores keys it does not know, and App Store Connect rejects them.\n")
		}
	}
	fmt.Fprintf(&b, "\n---\nentitlint catalog %s\n", c.Version())
	return b.String()
}

// writeKeyDoc writes the documentation of a real key (also used for
// completion items).
func writeKeyDoc(b *strings.Builder, k *catalog.Key, targets []string) {
	fmt.Fprintf(b, "### %s\n`%s`\n\n%s\n\n", k.Title, k.Key, k.Summary)
	if d := k.Deprecated; d != nil {
		b.WriteString("**Deprecated.** " + d.Note)
		if d.Successor != "" {
			fmt.Fprintf(b, " Use `%s` instead.", d.Successor)
		}
		b.WriteString("\n\n")
	}
	typ := typeName(k.Type)
	if k.TypeAssumed {
		typ += " (assumed: Apple does not state it)"
	}
	fmt.Fprintf(b, "- **Type:** %s\n", typ)
	if len(k.Values) > 0 {
		b.WriteString("- **Values:**")
		if k.ValuesOpen {
			b.WriteString(" (others are allowed)")
		}
		b.WriteString("\n")
		for _, v := range k.Values {
			fmt.Fprintf(b, "  - `%s`: %s", v.Value, v.Summary)
			if v.Deprecated {
				b.WriteString(" (deprecated)")
			}
			b.WriteString("\n")
		}
	}
	if p := platformList(k); p != "" {
		fmt.Fprintf(b, "- **Platforms:** %s\n", p)
	}
	for _, t := range targets {
		if p := catalog.Platform(t); p.Valid() && !k.AvailableOn(p) && !(p == catalog.IPadOS && k.AvailableOn(catalog.IOS)) {
			fmt.Fprintf(b, "- **Not documented for %s**, one of your target platforms.\n", p.DisplayName())
		}
	}
	if r := restrictionNote(k.Restriction); r != "" {
		fmt.Fprintf(b, "- **Access:** %s\n", r)
	}
	if g := groupNote(k.MacOSGroup); g != "" {
		fmt.Fprintf(b, "- **macOS:** %s\n", g)
	}
	if k.Capability != "" {
		fmt.Fprintf(b, "- **Xcode:** add it in Signing & Capabilities → %s\n", k.Capability)
	}
	if len(k.InfoPlist) > 0 {
		fmt.Fprintf(b, "- **Info.plist:** also needs %s\n", codeList(k.InfoPlist))
	}
	if len(k.Related) > 0 {
		fmt.Fprintf(b, "- **Related:** %s\n", codeList(k.Related))
	}
	if k.Note != "" {
		fmt.Fprintf(b, "\n%s\n", k.Note)
	}
	if k.DocURL != "" {
		fmt.Fprintf(b, "\n[Apple documentation](%s)\n", k.DocURL)
	}
}

func writeHallucination(b *strings.Builder, c *catalog.Catalog, h *catalog.Hallucination, targets []string) {
	fmt.Fprintf(b, "### `%s` is not an entitlement\n\n%s\n\n", h.Key, h.Reason)
	repl := h.Replacement
	for _, t := range targets {
		if r := h.ReplacementFor(catalog.Platform(t)); r != "" {
			repl = r
			break
		}
	}
	switch h.Kind {
	case catalog.KindReplace:
		if repl != "" {
			fmt.Fprintf(b, "**Use instead:** `%s`", repl)
			if k, ok := c.Lookup(repl); ok {
				fmt.Fprintf(b, " (%s)", k.Title)
			}
			b.WriteString("\n")
		}
		for _, p := range catalog.AllPlatforms() {
			if r, ok := h.PlatformReplacements[p]; ok && r != repl {
				fmt.Fprintf(b, "- on %s: `%s`\n", p.DisplayName(), r)
			}
		}
	case catalog.KindInfoPlist:
		if m := h.InfoPlist; m != nil {
			fmt.Fprintf(b, "**Move it to Info.plist** as `%s`", m.Key)
			if m.Value != "" {
				fmt.Fprintf(b, " (with the item `%s`)", m.Value)
			}
			b.WriteString(".\n")
		}
	case catalog.KindRemove, catalog.KindAppIDService:
		b.WriteString("**Remove it:** no entitlement is needed.\n")
	}
	if len(h.Alternatives) > 0 {
		fmt.Fprintf(b, "\nYou may have meant %s.\n", codeList(h.Alternatives))
	}
}

// valueHover explains a string value of an entitlement with enumerated
// values; for other keys it describes the key.
func valueHover(c *catalog.Catalog, key, value string, targets []string) string {
	k, ok := c.Lookup(key)
	if !ok || len(k.Values) == 0 {
		return keyHover(c, key, targets)
	}
	var b strings.Builder
	if v, ok := k.Value(value); ok {
		fmt.Fprintf(&b, "### `%s`\nvalue of `%s` (%s)\n\n%s\n", v.Value, k.Key, k.Title, v.Summary)
		if v.Deprecated {
			b.WriteString("\n**Deprecated value.**\n")
		}
		if v.Note != "" {
			fmt.Fprintf(&b, "\n%s\n", v.Note)
		}
	} else {
		fmt.Fprintf(&b, "### `%s`\nis not a documented value of `%s` (%s)\n\n", value, k.Key, k.Title)
		vals := make([]string, len(k.Values))
		for i, v := range k.Values {
			vals[i] = v.Value
		}
		if k.ValuesOpen {
			fmt.Fprintf(&b, "Documented values: %s (others are allowed).\n", codeList(vals))
		} else {
			fmt.Fprintf(&b, "Allowed values: %s.\n", codeList(vals))
		}
	}
	fmt.Fprintf(&b, "\n---\nentitlint catalog %s\n", c.Version())
	return b.String()
}

func typeName(t catalog.ValueType) string {
	switch t {
	case catalog.TypeBoolean:
		return "Boolean (`<true/>` or `<false/>`)"
	case catalog.TypeString:
		return "String"
	case catalog.TypeInteger:
		return "Integer"
	case catalog.TypeArrayOfStrings:
		return "Array of strings"
	case catalog.TypeStringOrArray:
		return "String or array of strings"
	case catalog.TypeDictionary:
		return "Dictionary"
	case catalog.TypeArrayOfDictionaries:
		return "Array of dictionaries"
	}
	return string(t)
}

func platformList(k *catalog.Key) string {
	var parts []string
	for _, p := range catalog.AllPlatforms() {
		since, ok := k.Since(p)
		if !ok {
			continue
		}
		s := p.DisplayName() + " " + since + "+"
		if d, ok := k.DeprecatedOn(p); ok {
			s += " (deprecated " + d + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func restrictionNote(r catalog.Restriction) string {
	switch r {
	case catalog.RestrictionNone:
		return "any app may claim it; no provisioning profile is needed."
	case catalog.RestrictionProfile:
		return "needs a provisioning profile with this capability enabled on the App ID."
	case catalog.RestrictionApproval:
		return "Apple must approve a request before a provisioning profile can carry it."
	case catalog.RestrictionManaged:
		return "a managed capability: works in development, but distribution needs Apple's authorisation (or an enterprise licence)."
	}
	return ""
}

func groupNote(g catalog.MacOSGroup) string {
	switch g {
	case catalog.GroupSandbox:
		return "an App Sandbox entitlement; it only takes effect with `com.apple.security.app-sandbox`."
	case catalog.GroupHardenedRuntime:
		return "a Hardened Runtime exception."
	case catalog.GroupBoth:
		return "honoured by both the App Sandbox and the Hardened Runtime."
	}
	return ""
}

func codeList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
