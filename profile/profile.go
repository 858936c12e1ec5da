// Package profile reads Apple provisioning profiles (.mobileprovision for
// iOS, iPadOS, tvOS, watchOS and visionOS; .provisionprofile for macOS) so
// that entitlements files can be checked against what a profile authorises
// before Xcode, codesign or the device refuses them.
//
// A provisioning profile is a CMS (PKCS #7, RFC 5652) SignedData message
// whose encapsulated content is an XML property list (TN3125 "Inside Code
// Signing: Provisioning Profiles"). Parse decodes the CMS structure with
// github.com/smallstep/pkcs7 (BER and DER), decodes the content with
// howett.net/plist, and extracts the profile's name, UUID, team, App ID,
// platforms, dates, developer certificates (parsed with crypto/x509),
// devices and the Entitlements dictionary, which acts as an allowlist: every
// entitlement an app claims must be in it, and values ending in "*" are
// prefix wildcards ("ABCDE12345.*" authorises any value starting with
// "ABCDE12345."; "*" authorises any value).
//
// # Signatures
//
// Parse checks the CMS signature over the content with the signer
// certificate embedded in the message (Profile.Signature) but does NOT
// verify that certificate's chain up to Apple's root certificates: entitlint
// embeds no roots, and a profile is read to lint against it, not to trust
// it. A profile whose signature does not verify is still returned; the
// result says why. The signing tools and the device perform the real check.
//
// # Kind
//
// Apple does not store the distribution method in the property list; Kind
// derives it the way TN3125 describes profiles:
//
//   - ProvisionsAllDevices: developer-id on macOS-only profiles (Platform
//     OSX), enterprise (In-House) otherwise;
//   - ProvisionedDevices present: development when get-task-allow (or
//     com.apple.security.get-task-allow) is true or the profile is for macOS
//     (macOS has no ad hoc distribution), ad-hoc otherwise;
//   - no devices: development when get-task-allow is true, app-store
//     otherwise (App Store and TestFlight profiles list no devices).
//
// The exact format of provisioning profiles is not documented by Apple and
// may change; unknown properties are ignored.
package profile

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"
	"howett.net/plist"

	"github.com/entitlint/entitlint/plistxml"
)

// MaxSize is the largest file Parse accepts. Real profiles are a few
// kilobytes to a few hundred (profiles listing many devices).
const MaxSize = 4 << 20

// Kind is how a profile distributes the app; the values match entitlint's
// distribution names (config "distribution", --distribution).
type Kind string

// Kinds.
const (
	Development Kind = "development"
	AdHoc       Kind = "ad-hoc"
	AppStore    Kind = "app-store"
	Enterprise  Kind = "enterprise"
	DeveloperID Kind = "developer-id"
)

// Profile is a decoded provisioning profile. Fields are empty when the
// profile does not have the property.
type Profile struct {
	// Path is the file the profile was loaded from ("" for Parse).
	Path string

	Name      string
	UUID      string
	TeamName  string
	AppIDName string
	// TeamIdentifiers is the TeamIdentifier array (one team in practice).
	TeamIdentifiers []string
	// AppIDPrefixes is the ApplicationIdentifierPrefix array.
	AppIDPrefixes []string
	// Platforms is the Platform array as written: "iOS", "OSX", "tvOS",
	// "watchOS", "xrOS", "visionOS"…
	Platforms            []string
	ProvisionsAllDevices bool
	// Devices is the ProvisionedDevices array (device UDIDs).
	Devices        []string
	IsXcodeManaged bool
	CreationDate   time.Time
	ExpirationDate time.Time
	Certificates   []Certificate
	// Entitlements is the allowlist, as decoded by howett.net/plist:
	// string, bool, uint64/int64, float64, []any, map[string]any, []byte,
	// time.Time.
	Entitlements map[string]any
	// HasDEREncodedProfile reports a DER-Encoded-Profile property (the
	// binary source of truth on modern systems; not decoded).
	HasDEREncodedProfile bool

	Signature Signature
}

// Certificate is one of the profile's DeveloperCertificates.
type Certificate struct {
	CommonName   string // "Apple Development: Jane Appleseed (XYZ1234567)"
	Team         string // subject organizational unit: the Team ID
	Organization string
	Serial       string
	NotBefore    time.Time
	NotAfter     time.Time
	SHA1         string // upper-case hex, as Keychain Access and `security find-identity` show it
	SHA256       string
	// Err is set when the DER does not parse as a certificate; the other
	// fields are then empty.
	Err string
}

// Signature is the outcome of checking the CMS signature.
type Signature struct {
	// Valid: the signature over the content verifies with the embedded
	// signer certificate. The certificate chain is NOT checked.
	Valid bool
	// Signer is the signer certificate's subject common name, Issuer its
	// issuer's ("Apple iPhone Certification Authority" for real profiles).
	Signer, Issuer string
	// Err says why the signature did not verify.
	Err string
}

// Error is a file that is not a readable provisioning profile.
type Error struct {
	Path string // "" for Parse
	Msg  string
	Err  error // underlying error, if any
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func fail(err error, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Err: err}
}

// Load reads and parses a profile file.
func Load(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	p, err := Parse(data)
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			pe.Path = path
		}
		return nil, err
	}
	p.Path = path
	return p, nil
}

var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

// Parse decodes a provisioning profile. It never panics: anything that is
// not a CMS SignedData message wrapping a provisioning-profile property list
// is an *Error that says what is wrong.
func Parse(data []byte) (p *Profile, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fail(nil, "not a provisioning profile: the CMS structure is corrupt (%v)", v)
		}
	}()
	switch {
	case len(data) == 0:
		return nil, fail(nil, "empty file: not a provisioning profile")
	case len(data) > MaxSize:
		return nil, fail(nil, "file is over %d MB: not a provisioning profile", MaxSize>>20)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if bytes.HasPrefix(trimmed, []byte("<?xml")) || bytes.HasPrefix(trimmed, []byte("<plist")) || bytes.HasPrefix(data, []byte("bplist")) {
		return nil, fail(nil, "this is a bare property list, not a signed provisioning profile (the output of `security cms -D`?): pass the .mobileprovision or .provisionprofile file itself")
	}
	if data[0] != 0x30 { // a CMS ContentInfo is an ASN.1 SEQUENCE
		return nil, fail(nil, "not a provisioning profile: not a CMS (PKCS #7) signed message")
	}
	if err := checkBER(data); err != nil {
		if errors.Is(err, errTruncated) {
			return nil, fail(err, "not a provisioning profile: the CMS structure is truncated")
		}
		return nil, fail(err, "not a provisioning profile: not a CMS (PKCS #7) signed message (its ASN.1 structure is %v)", err)
	}
	p7, err := pkcs7.Parse(data)
	if err != nil {
		return nil, cmsError(err)
	}
	if err := checkSignedData(data); err != nil {
		return nil, err
	}
	if len(p7.Content) == 0 {
		return nil, fail(nil, "not a provisioning profile: the CMS message carries no content (a detached signature, or the file is truncated)")
	}
	p, err = parsePayload(p7.Content)
	if err != nil {
		return nil, err
	}
	p.Signature = verify(p7)
	return p, nil
}

// cmsError turns the library's errors into messages for people.
func cmsError(err error) *Error {
	msg := err.Error()
	switch {
	case errors.Is(err, pkcs7.ErrUnsupportedContentType):
		return fail(err, "not a provisioning profile: the CMS message is not SignedData")
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "truncated") ||
		strings.Contains(msg, "more than available") || strings.Contains(msg, "end of ber data"):
		return fail(err, "not a provisioning profile: the CMS structure is truncated (%s)", msg)
	}
	return fail(err, "not a provisioning profile: not a CMS (PKCS #7) signed message (%s)", msg)
}

// checkSignedData re-reads the outer structure: the pkcs7 library ignores
// errors inside SignedData (a cut-off file then looks like a message without
// content), and a ContentInfo that is not SignedData must say so.
func checkSignedData(data []byte) error {
	var info struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	if _, err := asn1.Unmarshal(data, &info); err != nil {
		// BER (indefinite lengths) is not DER: the library converted it;
		// trust its result.
		return nil
	}
	if !info.ContentType.Equal(oidSignedData) {
		return fail(nil, "not a provisioning profile: the CMS message is not SignedData")
	}
	// SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
	// [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos }
	var sd asn1.RawValue
	if _, err := asn1.Unmarshal(info.Content.Bytes, &sd); err != nil {
		return fail(err, "not a provisioning profile: the CMS SignedData structure is truncated or corrupt (%v)", err)
	}
	n := 0
	for rest := sd.Bytes; len(rest) > 0; n++ {
		var el asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &el); err != nil {
			return fail(err, "not a provisioning profile: the CMS SignedData structure is truncated or corrupt (%v)", err)
		}
	}
	if n < 4 {
		return fail(nil, "not a provisioning profile: the CMS SignedData structure is incomplete")
	}
	return nil
}

func verify(p7 *pkcs7.PKCS7) Signature {
	var s Signature
	if signer := p7.GetOnlySigner(); signer != nil {
		s.Signer = signer.Subject.CommonName
		s.Issuer = signer.Issuer.CommonName
	}
	if len(p7.Signers) == 0 {
		s.Err = "the CMS message has no signer"
		return s
	}
	if err := p7.Verify(); err != nil {
		s.Err = strings.TrimPrefix(err.Error(), "pkcs7: ")
		return s
	}
	s.Valid = true
	return s
}

// parsePayload decodes the property list inside the CMS message.
func parsePayload(content []byte) (*Profile, error) {
	if err := plistxml.CheckBinary(content); err != nil {
		return nil, fail(err, "not a provisioning profile: %v", err)
	}
	var root any
	if _, err := plist.Unmarshal(content, &root); err != nil {
		return nil, fail(err, "not a provisioning profile: the signed content is not a property list (%v)", err)
	}
	dict, ok := root.(map[string]any)
	if !ok {
		return nil, fail(nil, "not a provisioning profile: the signed property list is not a dictionary")
	}
	ents, hasEnts := dict["Entitlements"].(map[string]any)
	_, hasUUID := dict["UUID"]
	_, hasExp := dict["ExpirationDate"]
	if !hasEnts || !hasUUID && !hasExp {
		return nil, fail(nil, "not a provisioning profile: the signed property list has no Entitlements, UUID or ExpirationDate")
	}
	p := &Profile{
		Name:                 str(dict["Name"]),
		UUID:                 str(dict["UUID"]),
		TeamName:             str(dict["TeamName"]),
		AppIDName:            str(dict["AppIDName"]),
		TeamIdentifiers:      strs(dict["TeamIdentifier"]),
		AppIDPrefixes:        strs(dict["ApplicationIdentifierPrefix"]),
		Platforms:            strs(dict["Platform"]),
		ProvisionsAllDevices: boolean(dict["ProvisionsAllDevices"]),
		Devices:              strs(dict["ProvisionedDevices"]),
		IsXcodeManaged:       boolean(dict["IsXcodeManaged"]),
		CreationDate:         date(dict["CreationDate"]),
		ExpirationDate:       date(dict["ExpirationDate"]),
		Entitlements:         ents,
	}
	_, p.HasDEREncodedProfile = dict["DER-Encoded-Profile"]
	if certs, ok := dict["DeveloperCertificates"].([]any); ok {
		for _, c := range certs {
			der, ok := c.([]byte)
			if !ok {
				p.Certificates = append(p.Certificates, Certificate{Err: "not a data value"})
				continue
			}
			p.Certificates = append(p.Certificates, parseCertificate(der))
		}
	}
	return p, nil
}

func parseCertificate(der []byte) Certificate {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Certificate{Err: strings.TrimPrefix(err.Error(), "x509: ")}
	}
	s1 := sha1.Sum(der)
	s256 := sha256.Sum256(der)
	out := Certificate{
		CommonName: c.Subject.CommonName,
		Serial:     strings.ToUpper(c.SerialNumber.Text(16)),
		NotBefore:  c.NotBefore.UTC(),
		NotAfter:   c.NotAfter.UTC(),
		SHA1:       strings.ToUpper(hex.EncodeToString(s1[:])),
		SHA256:     strings.ToUpper(hex.EncodeToString(s256[:])),
	}
	if len(c.Subject.OrganizationalUnit) > 0 {
		out.Team = c.Subject.OrganizationalUnit[0]
	}
	if len(c.Subject.Organization) > 0 {
		out.Organization = c.Subject.Organization[0]
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func boolean(v any) bool {
	b, _ := v.(bool)
	return b
}

func date(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}

// strs returns the strings of an array (other items are skipped), or a
// single string as a one-element slice.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, it := range x {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// TeamID returns the profile's team: the first TeamIdentifier, else the
// com.apple.developer.team-identifier entitlement.
func (p *Profile) TeamID() string {
	if len(p.TeamIdentifiers) > 0 {
		return p.TeamIdentifiers[0]
	}
	return str(p.Entitlements[TeamIDKey])
}

// AppIDPrefix returns the App ID prefix (usually the Team ID).
func (p *Profile) AppIDPrefix() string {
	if len(p.AppIDPrefixes) > 0 {
		return p.AppIDPrefixes[0]
	}
	if id := p.AppID(); len(id) > 11 && id[10] == '.' {
		return id[:10]
	}
	return p.TeamID()
}

// AppID returns the application-identifier entitlement (or its macOS
// spelling): "PREFIX.bundle.id", possibly a wildcard ("PREFIX.*").
func (p *Profile) AppID() string {
	if s := str(p.Entitlements[AppIDKey]); s != "" {
		return s
	}
	return str(p.Entitlements[MacAppIDKey])
}

// BundleID returns the bundle ID the profile is for, when its App ID is
// explicit (not a wildcard).
func (p *Profile) BundleID() (string, bool) {
	id := p.AppID()
	prefix := p.AppIDPrefix() + "."
	if !strings.HasPrefix(id, prefix) || len(id) == len(prefix) || strings.Contains(id, "*") {
		return "", false
	}
	return id[len(prefix):], true
}

// WildcardAppID reports whether the profile's App ID is a wildcard.
func (p *Profile) WildcardAppID() bool { return IsWildcard(p.AppID()) }

// GetTaskAllow reports whether the profile allows debugging.
func (p *Profile) GetTaskAllow() bool {
	return boolean(p.Entitlements["get-task-allow"]) || boolean(p.Entitlements["com.apple.security.get-task-allow"])
}

// Kind derives the distribution method (see the package documentation).
func (p *Profile) Kind() Kind {
	macOnly := p.IsMac() && !p.hasEmbeddedPlatform()
	switch {
	case p.ProvisionsAllDevices && macOnly:
		return DeveloperID
	case p.ProvisionsAllDevices:
		return Enterprise
	case len(p.Devices) > 0 && (p.GetTaskAllow() || macOnly):
		return Development
	case len(p.Devices) > 0:
		return AdHoc
	case p.GetTaskAllow():
		return Development
	}
	return AppStore
}

// DaysLeft returns the whole days from now until the profile expires
// (negative once expired).
func (p *Profile) DaysLeft(now time.Time) int { return DaysUntil(now, p.ExpirationDate) }

// Expired reports whether the profile has expired at now.
func (p *Profile) Expired(now time.Time) bool {
	return !p.ExpirationDate.IsZero() && !now.Before(p.ExpirationDate)
}

// DaysUntil returns the whole days from now to t, truncated toward zero
// (negative once t is more than a day in the past).
func DaysUntil(now, t time.Time) int { return int(t.Sub(now) / (24 * time.Hour)) }

// LatestCertificate returns the parsed developer certificate that expires
// last, or nil if there is none.
func (p *Profile) LatestCertificate() *Certificate {
	var best *Certificate
	for i := range p.Certificates {
		c := &p.Certificates[i]
		if c.Err == "" && (best == nil || c.NotAfter.After(best.NotAfter)) {
			best = c
		}
	}
	return best
}

// EntitlementKeys returns the entitlement keys in sorted order.
func (p *Profile) EntitlementKeys() []string {
	keys := make([]string, 0, len(p.Entitlements))
	for k := range p.Entitlements {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
