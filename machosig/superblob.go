package machosig

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Blob magics of an embedded code signature (xnu osfmk/kern/cs_blobs.h;
// everything in a signature is big-endian, whatever the Mach-O's order).
const (
	MagicEmbeddedSignature = 0xfade0cc0 // the SuperBlob
	MagicCodeDirectory     = 0xfade0c02
	MagicRequirements      = 0xfade0c01
	MagicEntitlements      = 0xfade7171 // XML property list
	MagicDEREntitlements   = 0xfade7172
	MagicBlobWrapper       = 0xfade0b01 // CMS signature
)

// Slot types of the SuperBlob index.
const (
	SlotCodeDirectory      = 0
	SlotInfo               = 1
	SlotRequirements       = 2
	SlotResourceDir        = 3
	SlotApplication        = 4
	SlotEntitlements       = 5
	SlotDEREntitlements    = 7
	SlotAlternateCodeDir   = 0x1000 // 0x1000…0x1004
	SlotSignature          = 0x10000
	codeDirectoryMinLength = 44 // through spare2
)

// Code directory versions that add fields.
const cdVersionTeamID = 0x20200 // adds teamOffset

// Code directory flags (the CS_* flags that matter to people).
const (
	FlagHard         = 0x00000100
	FlagKill         = 0x00000200
	FlagAdhoc        = 0x00000002
	FlagRestrict     = 0x00000800
	FlagEnforcement  = 0x00001000
	FlagLibraryValid = 0x00002000
	FlagRuntime      = 0x00010000 // Hardened Runtime
	FlagLinkerSigned = 0x00020000 // ad hoc signature written by the linker
)

// Limits. A real signature is a few kilobytes to a few megabytes: the code
// directory holds one hash per 4 KB or 16 KB page (a 1 GB binary with a
// SHA-1 and a SHA-256 directory needs about 13 MB).
const (
	// MaxSignatureSize is the largest LC_CODE_SIGNATURE payload read.
	MaxSignatureSize = 64 << 20
	// MaxBlobs bounds the SuperBlob's index (real ones have under 16).
	MaxBlobs = 256
	// maxString bounds the identifier and team ID strings.
	maxString = 4096
)

// HashType is a code directory's hash algorithm.
type HashType uint8

// Hash types (CS_HASHTYPE_*).
const (
	HashSHA1            HashType = 1
	HashSHA256          HashType = 2
	HashSHA256Truncated HashType = 3
	HashSHA384          HashType = 4
	HashSHA512          HashType = 5
)

func (h HashType) String() string {
	switch h {
	case HashSHA1:
		return "sha1"
	case HashSHA256:
		return "sha256"
	case HashSHA256Truncated:
		return "sha256-truncated"
	case HashSHA384:
		return "sha384"
	case HashSHA512:
		return "sha512"
	}
	return fmt.Sprintf("unknown hash type %d", uint8(h))
}

// Signature is a decoded embedded code signature (the SuperBlob that
// LC_CODE_SIGNATURE points at).
type Signature struct {
	// Entitlements is the XML property list of the entitlements blob (slot
	// 5), or nil when the signature has none.
	Entitlements []byte
	// DEREntitlements is the content of the DER entitlements blob (slot 7),
	// or nil. Required by iOS 15 and later; not decoded.
	DEREntitlements []byte
	// CodeDirectories holds the code directories, the primary one (slot 0)
	// first, then the alternates (0x1000…) in index order.
	CodeDirectories []CodeDirectory
	// HasRequirements: a requirements blob is present.
	HasRequirements bool
	// CMSSize is the size of the CMS signature inside its wrapper: 0 for
	// an ad hoc signature.
	CMSSize int
	// Blobs is the SuperBlob's index, as read.
	Blobs []Blob
}

// Blob is one entry of the SuperBlob index.
type Blob struct {
	Slot   uint32 // slot type
	Magic  uint32
	Offset uint32 // from the start of the SuperBlob
	Length uint32
}

// CodeDirectory is what entitlint reads from a code directory.
type CodeDirectory struct {
	Slot       uint32
	Version    uint32
	Flags      uint32
	HashType   HashType
	HashSize   uint8
	Platform   uint8  // non-zero for platform binaries
	PageSize   uint32 // bytes; 0 means the whole file is one page
	Identifier string // the signing identifier, usually the bundle ID
	TeamID     string // "" before version 0x20200 or for ad hoc signatures
	// CDHash is the code directory hash (hex, 20 bytes as codesign prints
	// it), or "" for an unknown hash type.
	CDHash string
}

// HasDEREntitlements reports whether a DER entitlements blob is present.
func (s *Signature) HasDEREntitlements() bool { return s.DEREntitlements != nil }

// CodeDirectory returns the primary code directory, or nil.
func (s *Signature) CodeDirectory() *CodeDirectory {
	if len(s.CodeDirectories) == 0 {
		return nil
	}
	return &s.CodeDirectories[0]
}

// Identifier is the primary code directory's signing identifier.
func (s *Signature) Identifier() string {
	if cd := s.CodeDirectory(); cd != nil {
		return cd.Identifier
	}
	return ""
}

// TeamID is the primary code directory's team identifier.
func (s *Signature) TeamID() string {
	if cd := s.CodeDirectory(); cd != nil {
		return cd.TeamID
	}
	return ""
}

// HashTypes lists the hash types of every code directory, primary first.
func (s *Signature) HashTypes() []HashType {
	out := make([]HashType, len(s.CodeDirectories))
	for i, cd := range s.CodeDirectories {
		out[i] = cd.HashType
	}
	return out
}

// AdHoc reports an ad hoc signature (no signing identity): the code
// directory says so, or there is no CMS signature.
func (s *Signature) AdHoc() bool {
	if cd := s.CodeDirectory(); cd != nil && cd.Flags&FlagAdhoc != 0 {
		return true
	}
	return s.CMSSize == 0
}

// FormatError is a signature or Mach-O structure that is not what it
// should be.
type FormatError struct {
	Msg string
}

func (e *FormatError) Error() string { return e.Msg }

func formatErr(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

// ParseSuperBlob decodes an embedded code signature. Every offset and length
// is checked against the data; it never panics and never allocates more
// than len(data) for the blobs it copies.
func ParseSuperBlob(data []byte) (*Signature, error) {
	be := binary.BigEndian
	if len(data) < 12 {
		return nil, formatErr("code signature is %d bytes: too short for a SuperBlob", len(data))
	}
	if m := be.Uint32(data); m != MagicEmbeddedSignature {
		return nil, formatErr("code signature does not start with the embedded-signature magic 0xfade0cc0 (found %#08x)", m)
	}
	length, count := be.Uint32(data[4:]), be.Uint32(data[8:])
	if length < 12 || uint64(length) > uint64(len(data)) {
		return nil, formatErr("code signature length %d does not fit in the %d bytes LC_CODE_SIGNATURE gives it", length, len(data))
	}
	if count > MaxBlobs {
		return nil, formatErr("code signature claims %d blobs (at most %d are read)", count, MaxBlobs)
	}
	if 12+uint64(count)*8 > uint64(length) {
		return nil, formatErr("code signature index of %d blobs runs past its length %d", count, length)
	}
	data = data[:length]
	sig := &Signature{Blobs: make([]Blob, 0, count)}
	var primary *CodeDirectory
	for i := uint32(0); i < count; i++ {
		entry := data[12+i*8:]
		slot, off := be.Uint32(entry), be.Uint32(entry[4:])
		if uint64(off)+8 > uint64(length) {
			return nil, formatErr("code signature blob %d (slot %#x) starts at %d, past the signature's end (%d)", i, slot, off, length)
		}
		magic, blen := be.Uint32(data[off:]), be.Uint32(data[off+4:])
		if blen < 8 || uint64(off)+uint64(blen) > uint64(length) {
			return nil, formatErr("code signature blob %d (slot %#x) at %d has length %d, past the signature's end (%d)", i, slot, off, blen, length)
		}
		sig.Blobs = append(sig.Blobs, Blob{Slot: slot, Magic: magic, Offset: off, Length: blen})
		blob := data[off : off+blen]
		switch magic {
		case MagicEntitlements:
			if sig.Entitlements == nil {
				sig.Entitlements = append([]byte{}, blob[8:]...)
			}
		case MagicDEREntitlements:
			if sig.DEREntitlements == nil {
				sig.DEREntitlements = append([]byte{}, blob[8:]...)
			}
		case MagicRequirements:
			sig.HasRequirements = true
		case MagicBlobWrapper:
			sig.CMSSize = int(blen) - 8
		case MagicCodeDirectory:
			cd, err := parseCodeDirectory(blob)
			if err != nil {
				return nil, formatErr("code directory in slot %#x: %v", slot, err)
			}
			cd.Slot = slot
			if slot == SlotCodeDirectory && primary == nil {
				primary = &cd
			} else {
				sig.CodeDirectories = append(sig.CodeDirectories, cd)
			}
		}
	}
	if primary != nil {
		sig.CodeDirectories = append([]CodeDirectory{*primary}, sig.CodeDirectories...)
	}
	return sig, nil
}

// parseCodeDirectory reads the fields entitlint shows from a code
// directory blob (magic and length included).
func parseCodeDirectory(blob []byte) (CodeDirectory, error) {
	be := binary.BigEndian
	var cd CodeDirectory
	if len(blob) < codeDirectoryMinLength {
		return cd, fmt.Errorf("%d bytes, shorter than a code directory header (%d)", len(blob), codeDirectoryMinLength)
	}
	cd.Version = be.Uint32(blob[8:])
	cd.Flags = be.Uint32(blob[12:])
	identOff := be.Uint32(blob[20:])
	cd.HashSize = blob[36]
	cd.HashType = HashType(blob[37])
	cd.Platform = blob[38]
	if shift := blob[39]; shift > 0 && shift < 32 {
		cd.PageSize = 1 << shift
	}
	var err error
	if cd.Identifier, err = cString(blob, identOff); err != nil {
		return cd, fmt.Errorf("identifier: %v", err)
	}
	if cd.Version >= cdVersionTeamID && len(blob) >= 52 {
		if teamOff := be.Uint32(blob[48:]); teamOff != 0 {
			if cd.TeamID, err = cString(blob, teamOff); err != nil {
				return cd, fmt.Errorf("team identifier: %v", err)
			}
		}
	}
	cd.CDHash = cdHash(cd.HashType, blob)
	return cd, nil
}

// cString reads a NUL-terminated string at off inside blob.
func cString(blob []byte, off uint32) (string, error) {
	if uint64(off) >= uint64(len(blob)) {
		return "", fmt.Errorf("offset %d is outside the %d-byte code directory", off, len(blob))
	}
	rest := blob[off:]
	for i, b := range rest {
		if b == 0 {
			return string(rest[:i]), nil
		}
		if i >= maxString {
			break
		}
	}
	return "", fmt.Errorf("string at offset %d is not NUL-terminated within %d bytes", off, min(len(rest), maxString))
}

// cdHash is the code directory hash: the directory's digest with its own
// hash type, truncated to 20 bytes.
func cdHash(t HashType, blob []byte) string {
	var sum []byte
	switch t {
	case HashSHA1:
		s := sha1.Sum(blob)
		sum = s[:]
	case HashSHA256, HashSHA256Truncated:
		s := sha256.Sum256(blob)
		sum = s[:]
	case HashSHA384:
		s := sha512.Sum384(blob)
		sum = s[:]
	case HashSHA512:
		s := sha512.Sum512(blob)
		sum = s[:]
	default:
		return ""
	}
	return hex.EncodeToString(sum[:20])
}

// FlagNames names the code directory flags people look for ("adhoc",
// "runtime", "linker-signed", …), as codesign -d prints them.
func FlagNames(flags uint32) []string {
	names := []struct {
		bit  uint32
		name string
	}{
		{FlagAdhoc, "adhoc"}, {FlagHard, "hard"}, {FlagKill, "kill"}, {FlagRestrict, "restrict"},
		{FlagEnforcement, "enforcement"}, {FlagLibraryValid, "library-validation"},
		{FlagRuntime, "runtime"}, {FlagLinkerSigned, "linker-signed"},
	}
	var out []string
	for _, n := range names {
		if flags&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}
