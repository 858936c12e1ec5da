package rules

import (
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
)

// This file holds what the infoplist-* rules share: access to the target's
// Info.plist (Options.InfoPlist) and the table of purpose strings that
// entitlements need.

// infoPlistRoot returns the Info.plist's top-level dict, or nil when there
// is no Info.plist or it has no dict root (the rules then stay quiet rather
// than report every key as missing).
func infoPlistRoot(p *Pass) *plistxml.Node {
	if p.Opts.InfoPlist == nil {
		return nil
	}
	return p.Opts.InfoPlist.RootDict()
}

// infoPlistName is how messages name the Info.plist.
func infoPlistName(p *Pass) string {
	if p.Opts.InfoPlistPath != "" {
		return p.Opts.InfoPlistPath
	}
	return "Info.plist"
}

// infoValue returns the value of a top-level Info.plist key, or nil.
func infoValue(root *plistxml.Node, key string) *plistxml.Node {
	e := root.Lookup(key)
	if e == nil {
		return nil
	}
	return e.Value
}

// infoStringSet returns the strings of an Info.plist array (or a lone
// string) as a set.
func infoStringSet(root *plistxml.Node, key string) map[string]bool {
	v := infoValue(root, key)
	if v == nil {
		return nil
	}
	out := map[string]bool{}
	for _, n := range stringValues(v) {
		out[strings.TrimSpace(n.Text)] = true
	}
	return out
}

// purposeState says whether a purpose string is usable.
type purposeState uint8

const (
	purposeMissing purposeState = iota
	purposeEmpty                // present but empty: the prompt would be blank, App Review rejects it
	purposeOK
)

func purposeString(root *plistxml.Node, key string) purposeState {
	v := infoValue(root, key)
	switch {
	case v == nil:
		return purposeMissing
	case v.Kind != plistxml.String:
		return purposeOK // a localised or variable-driven value: trust it
	case strings.TrimSpace(v.Text) == "":
		return purposeEmpty
	}
	return purposeOK
}

// claims reports whether an entry actually claims its entitlement: <false/>,
// an empty string and an empty array claim nothing.
func claims(e *plistxml.Entry) bool {
	v := e.Value
	if v == nil {
		return false
	}
	switch v.Kind {
	case plistxml.False:
		return false
	case plistxml.String:
		return strings.TrimSpace(v.Text) != ""
	case plistxml.Array:
		return len(v.Items()) > 0
	case plistxml.Dict:
		return len(v.Entries()) > 0
	}
	return true
}

// usageSpec overrides what the catalog's infoPlist list says about a key's
// purpose strings.
type usageSpec struct {
	// groups: the Info.plist must hold one key of each group. Empty means
	// the key needs no purpose string (the catalog's list is only related).
	groups [][]string
	// ifValue restricts the requirement to claims containing this value.
	ifValue string
	// why is added to the message.
	why string
}

// usageOverrides refine the catalog where it lists related keys that are not
// always required, or misses a requirement. Evidence for each is noted.
var usageOverrides = map[string]usageSpec{
	// App Store Connect asks for both purpose strings whenever the HealthKit
	// entitlement is present, even in an app that only reads (ITMS-90683
	// reports for NSHealthUpdateUsageDescription in read-only apps).
	"com.apple.developer.healthkit": {
		groups: [][]string{{"NSHealthShareUsageDescription"}, {"NSHealthUpdateUsageDescription"}},
		why:    "App Store Connect asks for both HealthKit purpose strings whenever the entitlement is present (ITMS-90683), even if the app only reads",
	},
	"com.apple.developer.healthkit.access": {
		groups:  [][]string{{"NSHealthClinicalHealthRecordsShareUsageDescription"}},
		ifValue: "health-records",
	},
	// Location authorisation is one of several ways to read the Wi-Fi SSID
	// (a VPN or hotspot configuration also qualifies): not required.
	"com.apple.developer.networking.wifi-info": {},
	// NSBonjourServices is needed only to browse Bonjour services.
	"com.apple.developer.networking.multicast": {groups: [][]string{{"NSLocalNetworkUsageDescription"}}},
	// The ISO 7816 and FeliCa lists are needed only to read those tags.
	"com.apple.developer.nfc.readersession.formats": {groups: [][]string{{"NFCReaderUsageDescription"}}},
	// macOS 14 split calendar access; any of these purpose strings serves.
	"com.apple.security.personal-information.calendars": {groups: [][]string{{
		"NSCalendarsUsageDescription", "NSCalendarsFullAccessUsageDescription", "NSCalendarsWriteOnlyAccessUsageDescription"}}},
	"com.apple.security.personal-information.location": {groups: [][]string{{
		"NSLocationUsageDescription", "NSLocationWhenInUseUsageDescription", "NSLocationAlwaysAndWhenInUseUsageDescription"}}},
	"com.apple.security.personal-information.photos-library": {groups: [][]string{{
		"NSPhotoLibraryUsageDescription", "NSPhotoLibraryAddUsageDescription"}}},
	// Not in the catalog's list: since macOS 11 a process that touches Core
	// Bluetooth without this key is killed by TCC ("attempted to access
	// privacy-sensitive data without a usage description").
	"com.apple.security.device.bluetooth": {groups: [][]string{{"NSBluetoothAlwaysUsageDescription"}},
		why: "since macOS 11 the system terminates an app that uses Core Bluetooth without it"},
}

// UsageDescriptions returns the Info.plist purpose strings that claiming an
// entitlement requires, as groups: the Info.plist must contain one key of
// every group. It is nil when the key needs none. The answer comes from the
// catalog's infoPlist list (its *UsageDescription keys), refined by
// entitlint's own table.
func UsageDescriptions(cat *catalog.Catalog, key string) [][]string {
	if spec, ok := usageOverrides[key]; ok {
		return spec.groups
	}
	k, ok := cat.Lookup(key)
	if !ok {
		return nil
	}
	var out [][]string
	for _, ik := range k.InfoPlist {
		if strings.HasSuffix(ik, "UsageDescription") {
			out = append(out, []string{ik})
		}
	}
	return out
}

// EntitlementsNeeding returns the catalog keys whose claim requires the
// purpose string infoKey (the reverse of UsageDescriptions), sorted.
func EntitlementsNeeding(cat *catalog.Catalog, infoKey string) []string {
	var out []string
	for _, k := range cat.Keys() {
		for _, g := range UsageDescriptions(cat, k.Key) {
			for _, ik := range g {
				if ik == infoKey {
					out = append(out, k.Key)
				}
			}
		}
	}
	return out
}

// rootAnchor is where findings about something missing from the whole file
// go: the root <dict> tag.
func rootAnchor(c *context) plistxml.Span {
	if c.root == nil {
		return plistxml.NoSpan
	}
	if c.root.OpenTag().IsValid() {
		return c.root.OpenTag()
	}
	return c.root.Span()
}

// entryInsertion returns an edit adding `<key>key</key>` and valueXML at the
// end of the root dict, indented like its other entries.
func (c *context) entryInsertion(key, valueXML string) (Edit, bool) {
	root := c.root
	if root == nil || !root.CloseTag().IsValid() || root.CloseTag().End > len(c.doc.Src) {
		return Edit{}, false // <dict/>, an unclosed dict or a binary plist
	}
	src := c.doc.Src
	indent := "\t"
	if len(root.Entries()) > 0 {
		indent = c.indentOf(root.Entries()[0].KeySpan.Start)
	}
	at := root.CloseTag().Start
	ls := at
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	if ls == 0 || src[ls-1] == '\n' || src[ls-1] == '\r' {
		text := indent + "<key>" + escapeText(key) + "</key>\n" + indent + valueXML + "\n"
		return Edit{Span: plistxml.Span{Start: ls, End: ls}, NewText: text}, true
	}
	return Edit{Span: plistxml.Span{Start: at, End: at}, NewText: "<key>" + escapeText(key) + "</key>" + valueXML}, true
}
