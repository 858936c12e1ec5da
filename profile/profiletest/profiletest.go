// Package profiletest builds provisioning profiles for tests: a property
// list written from a Spec, wrapped in a CMS SignedData message signed with
// a self-signed test certificate. Nothing here is Apple's: the profiles
// parse like real ones but their signer chains to no Apple root.
package profiletest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"howett.net/plist"
)

// Spec describes a profile. Zero fields are left out of the property list,
// except where noted.
type Spec struct {
	Name      string
	UUID      string
	TeamID    string // TeamIdentifier and ApplicationIdentifierPrefix
	TeamName  string
	AppIDName string
	// Platforms is the Platform array ("iOS", "OSX", "tvOS", "xrOS"…).
	Platforms  []string
	Devices    []string
	AllDevices bool
	Created    time.Time
	Expires    time.Time
	Certs      []Cert
	// Entitlements is the allowlist, written as given (string, bool,
	// []any or []string, map[string]any…).
	Entitlements map[string]any
	// Extra properties merged into the top-level dictionary.
	Extra map[string]any
}

// Cert describes a developer certificate: its subject and validity.
type Cert struct {
	CommonName string // "Apple Development: Jane Appleseed (XYZ1234567)"
	Team       string // organizational unit
	NotBefore  time.Time
	NotAfter   time.Time
}

// Payload returns the profile's property list (XML).
func (s Spec) Payload() ([]byte, error) {
	d := map[string]any{}
	set := func(k string, v any, present bool) {
		if present {
			d[k] = v
		}
	}
	set("Name", s.Name, s.Name != "")
	set("UUID", s.UUID, s.UUID != "")
	set("TeamName", s.TeamName, s.TeamName != "")
	set("AppIDName", s.AppIDName, s.AppIDName != "")
	set("TeamIdentifier", []string{s.TeamID}, s.TeamID != "")
	set("ApplicationIdentifierPrefix", []string{s.TeamID}, s.TeamID != "")
	set("Platform", s.Platforms, len(s.Platforms) > 0)
	set("ProvisionedDevices", s.Devices, len(s.Devices) > 0)
	set("ProvisionsAllDevices", true, s.AllDevices)
	set("CreationDate", s.Created, !s.Created.IsZero())
	set("ExpirationDate", s.Expires, !s.Expires.IsZero())
	set("Version", 1, true)
	if s.Entitlements != nil {
		d["Entitlements"] = s.Entitlements
	}
	if len(s.Certs) > 0 {
		var ders [][]byte
		for _, c := range s.Certs {
			der, err := c.DER()
			if err != nil {
				return nil, err
			}
			ders = append(ders, der)
		}
		d["DeveloperCertificates"] = ders
	}
	for k, v := range s.Extra {
		d[k] = v
	}
	return plist.MarshalIndent(d, plist.XMLFormat, "\t")
}

// DER returns the certificate, self-signed with an Ed25519 key derived from
// its common name: the same Cert always gives the same bytes (and so the
// same fingerprints in golden files).
func (c Cert) DER() ([]byte, error) {
	seed := sha256.Sum256([]byte("entitlint test certificate: " + c.CommonName))
	key := ed25519.NewKeyFromSeed(seed[:])
	subject := pkix.Name{CommonName: c.CommonName, Organization: []string{"Example Corp"}, Country: []string{"US"}}
	if c.Team != "" {
		subject.OrganizationalUnit = []string{c.Team}
	}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(seed[:8]),
		Subject:      subject,
		NotBefore:    c.NotBefore,
		NotAfter:     c.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	return x509.CreateCertificate(zeroReader{}, tmpl, tmpl, key.Public(), key)
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

var signer struct {
	once sync.Once
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	err  error
}

// signingIdentity returns a self-signed ECDSA certificate standing in for
// Apple's "Apple iPhone OS Provisioning Profile Signing" certificate.
func signingIdentity() (*x509.Certificate, *ecdsa.PrivateKey, error) {
	signer.once.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			signer.err = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "Test Provisioning Profile Signing", Organization: []string{"entitlint tests"}},
			NotBefore:    time.Now().Add(-24 * time.Hour),
			NotAfter:     time.Now().Add(10 * 365 * 24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			signer.err = err
			return
		}
		signer.cert, signer.err = x509.ParseCertificate(der)
		signer.key = key
	})
	return signer.cert, signer.key, signer.err
}

// Sign wraps content in a CMS SignedData message.
func Sign(content []byte) ([]byte, error) {
	return sign(content, false)
}

// SignDetached returns a CMS SignedData message whose content is detached
// (not included), as a profile never is.
func SignDetached(content []byte) ([]byte, error) {
	return sign(content, true)
}

func sign(content []byte, detached bool) ([]byte, error) {
	cert, key, err := signingIdentity()
	if err != nil {
		return nil, err
	}
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		return nil, err
	}
	if err := sd.AddSigner(cert, key, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, err
	}
	if detached {
		sd.Detach()
	}
	return sd.Finish()
}

// Build returns the signed profile.
func (s Spec) Build() ([]byte, error) {
	payload, err := s.Payload()
	if err != nil {
		return nil, err
	}
	return Sign(payload)
}

// Write builds the profile into dir/name and returns its path.
func Write(t testing.TB, dir, name string, s Spec) string {
	t.Helper()
	data, err := s.Build()
	if err != nil {
		t.Fatalf("building profile %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// IOSDevelopment returns a typical Xcode-managed iOS development profile
// for team and bundle ID, valid from created for a year, with the
// entitlements every profile has plus extra.
func IOSDevelopment(team, bundleID string, created time.Time, extra map[string]any) Spec {
	ents := map[string]any{
		"application-identifier":              team + "." + bundleID,
		"com.apple.developer.team-identifier": team,
		"get-task-allow":                      true,
		"keychain-access-groups":              []any{team + ".*", "com.apple.token"},
	}
	for k, v := range extra {
		ents[k] = v
	}
	return Spec{
		Name:         "iOS Team Provisioning Profile: " + bundleID,
		UUID:         "6F1C3A52-7B2D-4E8A-9C4B-1D2E3F405162",
		TeamID:       team,
		TeamName:     "Example Corp",
		AppIDName:    "XC " + bundleID,
		Platforms:    []string{"iOS", "xrOS", "visionOS"},
		Devices:      []string{"00008030-001544522E60802E", "00008110-000A1C3E0E88801E"},
		Created:      created,
		Expires:      created.AddDate(1, 0, 0),
		Certs:        []Cert{{CommonName: "Apple Development: Jane Appleseed (XYZ9876543)", Team: team, NotBefore: created, NotAfter: created.AddDate(1, 0, 0)}},
		Entitlements: ents,
	}
}

// MacDeveloperID returns a typical macOS Developer ID profile.
func MacDeveloperID(team, bundleID string, created time.Time, extra map[string]any) Spec {
	ents := map[string]any{
		"com.apple.application-identifier":    team + "." + bundleID,
		"com.apple.developer.team-identifier": team,
		"keychain-access-groups":              []any{team + ".*"},
	}
	for k, v := range extra {
		ents[k] = v
	}
	return Spec{
		Name:         bundleID + " Developer ID",
		UUID:         "0B9E8D7C-6A5B-4C3D-8E2F-1A0B9C8D7E6F",
		TeamID:       team,
		TeamName:     "Example Corp",
		AppIDName:    bundleID,
		Platforms:    []string{"OSX"},
		AllDevices:   true,
		Created:      created,
		Expires:      created.AddDate(18, 0, 0),
		Certs:        []Cert{{CommonName: "Developer ID Application: Example Corp (" + team + ")", Team: team, NotBefore: created, NotAfter: created.AddDate(5, 0, 0)}},
		Entitlements: ents,
	}
}
