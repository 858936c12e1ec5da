package catalog

// Platform identifies an Apple operating system (or DriverKit) as used in the
// catalog's platforms maps.
type Platform string

// Platform ids, in the order the catalog presents them.
const (
	IOS       Platform = "ios"
	IPadOS    Platform = "ipados"
	MacOS     Platform = "macos"
	Catalyst  Platform = "catalyst"
	TVOS      Platform = "tvos"
	WatchOS   Platform = "watchos"
	VisionOS  Platform = "visionos"
	DriverKit Platform = "driverkit"
)

var platformNames = map[Platform]string{
	IOS: "iOS", IPadOS: "iPadOS", MacOS: "macOS", Catalyst: "Mac Catalyst",
	TVOS: "tvOS", WatchOS: "watchOS", VisionOS: "visionOS", DriverKit: "DriverKit",
}

// AllPlatforms returns every platform id in presentation order.
func AllPlatforms() []Platform {
	return []Platform{IOS, IPadOS, MacOS, Catalyst, TVOS, WatchOS, VisionOS, DriverKit}
}

// Valid reports whether p is one of the known platform ids.
func (p Platform) Valid() bool { _, ok := platformNames[p]; return ok }

// DisplayName returns Apple's spelling of the platform ("iOS", "Mac Catalyst", …),
// or the id itself when it is unknown.
func (p Platform) DisplayName() string {
	if n, ok := platformNames[p]; ok {
		return n
	}
	return string(p)
}

// ValueType is the property-list type an entitlement's value must have.
type ValueType string

// Value types.
const (
	TypeBoolean             ValueType = "boolean"
	TypeString              ValueType = "string"
	TypeInteger             ValueType = "integer"
	TypeArrayOfStrings      ValueType = "array-of-strings"
	TypeStringOrArray       ValueType = "string-or-array" // a string or an array of strings
	TypeDictionary          ValueType = "dictionary"
	TypeArrayOfDictionaries ValueType = "array-of-dictionaries"
)

// Restriction says who may sign an entitlement.
type Restriction string

// Restrictions.
const (
	// RestrictionNone: any code may claim it (self-signable; e.g. App Sandbox
	// and Hardened Runtime keys).
	RestrictionNone Restriction = "none"
	// RestrictionProfile: a provisioning profile with the capability must
	// authorise it; any team can enable the capability.
	RestrictionProfile Restriction = "profile"
	// RestrictionApproval: Apple must approve a request before a profile can
	// carry it.
	RestrictionApproval Restriction = "approval"
	// RestrictionManaged: a managed capability, usable in development but
	// needing Apple's authorisation (or an enterprise licence) to distribute.
	RestrictionManaged Restriction = "managed"
	// RestrictionUnknown: no evidence either way.
	RestrictionUnknown Restriction = "unknown"
)

// MacOSGroup classifies com.apple.security.* keys on macOS.
type MacOSGroup string

// macOS groups. The zero value means the key is not specific to either.
const (
	GroupNone MacOSGroup = ""
	// GroupSandbox keys only take effect when com.apple.security.app-sandbox is true.
	GroupSandbox MacOSGroup = "sandbox"
	// GroupHardenedRuntime keys are Hardened Runtime exceptions; they do not
	// need the App Sandbox.
	GroupHardenedRuntime MacOSGroup = "hardened-runtime"
	// GroupBoth keys are resource-access entitlements honoured by both the App
	// Sandbox and the Hardened Runtime.
	GroupBoth MacOSGroup = "both"
)

// Format names a value format the rules know how to check.
type Format string

// Value formats.
const (
	FormatAppGroupID          Format = "app-group-id"          // group.<name>, or <TeamID>.<name> on macOS
	FormatAssociatedDomain    Format = "associated-domain"     // <service>:<domain>[?mode=developer|managed]
	FormatICloudContainerID   Format = "icloud-container-id"   // iCloud.<id>
	FormatUbiquityKVStoreID   Format = "ubiquity-kvstore-id"   // <TeamID>.<bundle id>
	FormatTeamID              Format = "team-id"               // 10 upper-case alphanumerics
	FormatAppID               Format = "app-id"                // <TeamID or prefix>.<bundle id>
	FormatKeychainAccessGroup Format = "keychain-access-group" // <App ID prefix>.<group>
	FormatBundleID            Format = "bundle-id"             // reverse-DNS bundle identifier
	FormatMerchantID          Format = "merchant-id"           // merchant.<reverse DNS>
	FormatPassTypeID          Format = "pass-type-id"          // pass.<reverse DNS>
	FormatPath                Format = "path"                  // sandbox temporary-exception path
	FormatMachService         Format = "mach-service"          // global Mach service name
	FormatURL                 Format = "url"
	FormatAny                 Format = "any" // free-form; see the key's note
)

// Source says where a catalog entry's facts come from.
type Source string

// Sources.
const (
	SourceAppleDocs2026   Source = "apple-docs-2026"    // Apple's documentation as read in 2026
	SourceAppleDocs202506 Source = "apple-docs-2025-06" // a June 2025 mirror of Apple's documentation
	SourceAppleArchive    Source = "apple-archive"      // Apple's archived documentation
	SourceXcode           Source = "xcode"              // observed from Xcode or the signing tools
	SourceInferred        Source = "inferred"           // inferred from APIs, code or tooling; see Note
)

// Key is one real entitlement key.
//
// Values returned by a Catalog are shared: treat them as read-only.
type Key struct {
	Key   string    `json:"key"`
	Title string    `json:"title"`
	Type  ValueType `json:"type"`
	// TypeAssumed is set when Apple does not state the type and it was
	// inferred; rules should soften type mismatches for such keys.
	TypeAssumed bool `json:"typeAssumed,omitempty"`
	// Values enumerates allowed values. The set is closed unless ValuesOpen.
	Values     []Value `json:"values,omitempty"`
	ValuesOpen bool    `json:"valuesOpen,omitempty"`
	// Format names the shape of free-form values (strings or array items).
	Format      Format                    `json:"format,omitempty"`
	Platforms   map[Platform]PlatformInfo `json:"platforms"`
	Deprecated  *Deprecation              `json:"deprecated,omitempty"`
	Restriction Restriction               `json:"restriction"`
	MacOSGroup  MacOSGroup                `json:"macosGroup,omitempty"`
	// Capability is the Xcode Signing & Capabilities name that adds the key;
	// empty when Xcode has none.
	Capability string   `json:"capability,omitempty"`
	InfoPlist  []string `json:"infoPlist,omitempty"` // related Info.plist keys
	Related    []string `json:"related,omitempty"`   // related entitlement keys
	DocURL     string   `json:"docURL"`
	Summary    string   `json:"summary"`
	AddedIn    string   `json:"addedIn"`
	ChangedIn  string   `json:"changedIn,omitempty"`
	Source     Source   `json:"source"`
	Note       string   `json:"note,omitempty"`

	// platformDeprecated is set when any platform deprecates the key; it
	// saves the rules iterating the Platforms map for every key they see.
	platformDeprecated bool
}

// DeprecatedOnSomePlatform reports whether any platform's availability
// carries a deprecation version.
func (k *Key) DeprecatedOnSomePlatform() bool { return k.platformDeprecated }

// Value is one allowed value of an entitlement.
type Value struct {
	Value   string `json:"value"`
	Summary string `json:"summary"`
	// Deprecated values still parse but should not be used.
	Deprecated bool   `json:"deprecated,omitempty"`
	Note       string `json:"note,omitempty"`
}

// PlatformInfo gives a key's availability on one platform. Versions are
// MAJOR.MINOR, or MAJOR.MINOR.PATCH where Apple documents a patch release.
type PlatformInfo struct {
	Since      string `json:"since"`
	Deprecated string `json:"deprecated,omitempty"`
}

// Deprecation describes a key Apple deprecated.
type Deprecation struct {
	Successor string `json:"successor"` // replacement key, or empty
	Note      string `json:"note"`
}

// HallucinationKind says how to fix a wrong key.
type HallucinationKind string

// Hallucination kinds.
const (
	KindReplace      HallucinationKind = "replace"        // use Replacement instead
	KindRemove       HallucinationKind = "remove"         // no entitlement is needed
	KindInfoPlist    HallucinationKind = "info-plist"     // move it to Info.plist
	KindAppIDService HallucinationKind = "app-id-service" // enabled on the App ID, not an entitlement
)

// Hallucination is a key that is not, and never was, an entitlement but is
// seen in entitlements files (invented by people, tools or language models).
type Hallucination struct {
	Key         string            `json:"key"`
	Kind        HallucinationKind `json:"kind"`
	Replacement string            `json:"replacement,omitempty"`
	// PlatformReplacements overrides Replacement on some platforms.
	PlatformReplacements map[Platform]string `json:"platformReplacements,omitempty"`
	// Alternatives are other real keys the user may have meant.
	Alternatives []string       `json:"alternatives,omitempty"`
	InfoPlist    *InfoPlistMove `json:"infoPlist,omitempty"`
	Reason       string         `json:"reason"`
	Source       string         `json:"source"`
	AddedIn      string         `json:"addedIn"`
	ChangedIn    string         `json:"changedIn,omitempty"`
}

// ReplacementFor returns the replacement key to offer on platform p.
func (h *Hallucination) ReplacementFor(p Platform) string {
	if r, ok := h.PlatformReplacements[p]; ok {
		return r
	}
	return h.Replacement
}

// InfoPlistMove says where in Info.plist a misplaced key belongs.
type InfoPlistMove struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"` // array item to add, if any
}

// InfoPlistKey is an Info.plist key that people put in entitlements files.
type InfoPlistKey struct {
	Key       string `json:"key"`
	Summary   string `json:"summary"`
	AddedIn   string `json:"addedIn"`
	ChangedIn string `json:"changedIn,omitempty"`
	// Pattern is set (and Key is the queried key) when the match came from
	// an InfoPlistPattern rather than the explicit list.
	Pattern string `json:"-"`
}

// InfoPlistPattern recognises families of Info.plist keys by regular
// expression. Real entitlement keys always win over patterns.
type InfoPlistPattern struct {
	Pattern   string `json:"pattern"`
	Summary   string `json:"summary"`
	AddedIn   string `json:"addedIn"`
	ChangedIn string `json:"changedIn,omitempty"`
}

// PrivatePrefix marks a namespace of Apple-private entitlements.
type PrivatePrefix struct {
	Prefix    string `json:"prefix"`
	Reason    string `json:"reason"`
	Source    string `json:"source"`
	AddedIn   string `json:"addedIn"`
	ChangedIn string `json:"changedIn,omitempty"`
}

// PrivateKey is one Apple-private entitlement.
type PrivateKey struct {
	Key       string `json:"key"`
	Reason    string `json:"reason"`
	Source    string `json:"source"`
	AddedIn   string `json:"addedIn"`
	ChangedIn string `json:"changedIn,omitempty"`
}

// PrivateMatch explains why a key is private.
type PrivateMatch struct {
	Key    string // the queried key
	Prefix string // the matching prefix, when matched by prefix
	Reason string
	Source string
}

// Suggestion is a real key close to a mistyped one.
type Suggestion struct {
	Key      string
	Distance int // edit distance (a case-only difference counts 1)
}

// AvailableOn reports whether the key is documented on platform p.
func (k *Key) AvailableOn(p Platform) bool { _, ok := k.Platforms[p]; return ok }

// Since returns the version that introduced the key on platform p.
func (k *Key) Since(p Platform) (string, bool) {
	pi, ok := k.Platforms[p]
	return pi.Since, ok
}

// DeprecatedOn returns the version in which the key was deprecated on p.
func (k *Key) DeprecatedOn(p Platform) (string, bool) {
	pi, ok := k.Platforms[p]
	if !ok || pi.Deprecated == "" {
		return "", false
	}
	return pi.Deprecated, true
}

// Value returns the enumerated value v, if the key enumerates values.
func (k *Key) Value(v string) (*Value, bool) {
	for i := range k.Values {
		if k.Values[i].Value == v {
			return &k.Values[i], true
		}
	}
	return nil, false
}
