// Package machotest builds Mach-O files, code signatures and app bundles
// for tests, byte by byte: a 64-bit header, __TEXT and __LINKEDIT segments,
// LC_BUILD_VERSION, LC_CODE_SIGNATURE and a SuperBlob holding a code
// directory, requirements, entitlements (XML and DER) and an empty CMS
// wrapper. Nothing here is signed for real: the hashes in the code
// directory are zeros and the CMS blob is empty, as in an ad hoc signature
// that no one verifies.
package machotest

import (
	"bytes"
	"encoding/binary"
)

// CPU types and subtypes (mach/machine.h).
const (
	CPUX86_64      = 0x01000007
	CPUArm64       = 0x0100000c
	SubX86_64All   = 3
	SubArm64All    = 0
	SubArm64E      = 2
	PlatformMacOS  = 1
	PlatformIOS    = 2
	PlatformTVOS   = 3
	PlatformWatch  = 4
	PlatformMacCat = 6
	PlatformVision = 11
	PlatformIOSSim = 7
)

// Blob magics and slots (osfmk/kern/cs_blobs.h).
const (
	MagicSuperBlob     = 0xfade0cc0
	MagicCodeDirectory = 0xfade0c02
	MagicRequirements  = 0xfade0c01
	MagicEntitlements  = 0xfade7171
	MagicDER           = 0xfade7172
	MagicWrapper       = 0xfade0b01
)

// Spec describes a thin 64-bit little-endian executable.
type Spec struct {
	CPU, SubCPU uint32 // default arm64
	// BuildVersions are LC_BUILD_VERSION commands: platform and packed
	// minimum OS (Version(14, 0, 0)). Empty: none.
	BuildVersions [][2]uint32
	// Unsigned leaves LC_CODE_SIGNATURE out.
	Unsigned bool
	// Signature replaces the generated SuperBlob (malformed-input tests).
	Signature []byte
	// SectionEntitlements adds a __TEXT,__entitlements section (simulator
	// builds).
	SectionEntitlements []byte
	// PageSize aligns __TEXT and __LINKEDIT (default 16 KB; fuzz seeds
	// use less to stay small).
	PageSize int
	Sig      SigSpec
}

// SigSpec describes the generated code signature.
type SigSpec struct {
	Identifier string // default "com.example.app"
	TeamID     string // "" leaves the team out (ad hoc)
	// CDVersion defaults to 0x20400; below 0x20200 there is no team ID.
	CDVersion uint32
	Flags     uint32
	HashType  uint8 // default 2 (SHA-256)
	// AlternateSHA256 adds a second code directory in slot 0x1000 (the
	// primary then being SHA-1, as codesign does for old deployment targets).
	AlternateSHA256 bool
	Entitlements    []byte // XML; nil: no entitlements blob
	DER             []byte // DER entitlements content; nil: none
	CMS             []byte // CMS signature; nil: an empty wrapper (ad hoc)
}

// Version packs a version the way load commands store it.
func Version(major, minor, patch uint32) uint32 { return major<<16 | minor<<8 | patch }

type writer struct{ bytes.Buffer }

func (w *writer) u32(vs ...uint32) {
	for _, v := range vs {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], v)
		w.Write(b[:])
	}
}

func (w *writer) u64(vs ...uint64) {
	for _, v := range vs {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		w.Write(b[:])
	}
}

func (w *writer) name16(s string) {
	var b [16]byte
	copy(b[:], s)
	w.Write(b[:])
}

// Build returns the executable.
func (s Spec) Build() []byte {
	cpu, sub := s.CPU, s.SubCPU
	if cpu == 0 {
		cpu, sub = CPUArm64, SubArm64All
	}
	sig := s.Signature
	if sig == nil && !s.Unsigned {
		sig = SuperBlob(s.Sig)
	}
	page := s.PageSize
	if page == 0 {
		page = 0x4000
	}
	nsects := uint32(0)
	if s.SectionEntitlements != nil {
		nsects = 1
	}
	cmdsSize := 72 + 80*int(nsects) + 72 + 24*len(s.BuildVersions)
	if !s.Unsigned {
		cmdsSize += 16
	}
	// Layout: header and load commands, the __entitlements section, the
	// rest of __TEXT up to a page boundary, then __LINKEDIT holding only the
	// signature.
	sectOff := align(32+cmdsSize, 16)
	textSize := align(sectOff+len(s.SectionEntitlements), page)
	var cmds writer
	ncmds := uint32(0)
	cmds.u32(0x19, 72+80*nsects)
	cmds.name16("__TEXT")
	cmds.u64(0x100000000, uint64(textSize), 0, uint64(textSize))
	cmds.u32(5, 5, nsects, 0)
	if nsects == 1 {
		cmds.name16("__entitlements")
		cmds.name16("__TEXT")
		cmds.u64(0x100000000+uint64(sectOff), uint64(len(s.SectionEntitlements)))
		cmds.u32(uint32(sectOff), 0, 0, 0, 0, 0, 0, 0)
	}
	ncmds++
	linkOff := uint64(textSize)
	cmds.u32(0x19, 72)
	cmds.name16("__LINKEDIT")
	cmds.u64(0x100000000+uint64(textSize), uint64(align(len(sig), page)), linkOff, uint64(len(sig)))
	cmds.u32(1, 1, 0, 0)
	ncmds++
	for _, bv := range s.BuildVersions {
		cmds.u32(0x32, 24, bv[0], bv[1], Version(17, 0, 0), 0)
		ncmds++
	}
	if !s.Unsigned {
		cmds.u32(0x1d, 16, uint32(linkOff), uint32(len(sig)))
		ncmds++
	}
	var out writer
	out.u32(0xfeedfacf, cpu, sub, 2 /* MH_EXECUTE */, ncmds, uint32(cmds.Len()), 0x00200085, 0)
	out.Write(cmds.Bytes())
	pad(&out, sectOff)
	out.Write(s.SectionEntitlements)
	pad(&out, textSize)
	out.Write(sig)
	return out.Bytes()
}

func align(n, a int) int { return (n + a - 1) / a * a }

func pad(w *writer, to int) {
	if w.Len() < to {
		w.Write(make([]byte, to-w.Len()))
	}
}

// beBlob is a blob: big-endian magic, length, payload.
func beBlob(magic uint32, payload []byte) []byte {
	b := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint32(b, magic)
	binary.BigEndian.PutUint32(b[4:], uint32(8+len(payload)))
	return append(b, payload...)
}

// CodeDirectory returns a code directory blob with two code slots of zero
// hashes and the special slots up to the highest one present.
func CodeDirectory(s SigSpec, hashType uint8) []byte {
	version := s.CDVersion
	if version == 0 {
		version = 0x20400
	}
	ident := s.Identifier
	if ident == "" {
		ident = "com.example.app"
	}
	hashSize := map[uint8]int{1: 20, 2: 32, 3: 20, 4: 48, 5: 64}[hashType]
	if hashSize == 0 {
		hashSize = 32
	}
	headerLen := 88 // through execSegFlags (0x20400)
	if version < 0x20400 {
		headerLen = 52
	}
	if version < 0x20200 {
		headerLen = 48
	}
	if version < 0x20100 {
		headerLen = 44
	}
	identOff := headerLen
	teamOff := 0
	strs := append([]byte(ident), 0)
	if s.TeamID != "" && version >= 0x20200 {
		teamOff = identOff + len(strs)
		strs = append(strs, append([]byte(s.TeamID), 0)...)
	}
	nSpecial, nCode := 7, 2
	hashOff := identOff + len(strs) + nSpecial*hashSize
	total := hashOff + nCode*hashSize
	b := make([]byte, total)
	be := binary.BigEndian
	be.PutUint32(b[0:], MagicCodeDirectory)
	be.PutUint32(b[4:], uint32(total))
	be.PutUint32(b[8:], version)
	be.PutUint32(b[12:], s.Flags)
	be.PutUint32(b[16:], uint32(hashOff))
	be.PutUint32(b[20:], uint32(identOff))
	be.PutUint32(b[24:], uint32(nSpecial))
	be.PutUint32(b[28:], uint32(nCode))
	be.PutUint32(b[32:], 0x8000) // codeLimit
	b[36] = byte(hashSize)
	b[37] = hashType
	b[38] = 0
	b[39] = 14 // 16 KB pages
	if version >= 0x20200 {
		be.PutUint32(b[48:], uint32(teamOff))
	}
	copy(b[identOff:], strs)
	return b
}

// SuperBlob returns an embedded signature: code directory (slot 0),
// requirements (2), entitlements (5), DER entitlements (7), an alternate
// code directory (0x1000) and the CMS wrapper (0x10000), each only when
// the spec asks for it (code directory, requirements and wrapper always).
func SuperBlob(s SigSpec) []byte {
	type entry struct {
		slot uint32
		blob []byte
	}
	ht := s.HashType
	if ht == 0 {
		ht = 2
	}
	if s.AlternateSHA256 {
		ht = 1
	}
	entries := []entry{{0, CodeDirectory(s, ht)}}
	// An empty requirement set: count 0.
	entries = append(entries, entry{2, beBlob(MagicRequirements, []byte{0, 0, 0, 0})})
	if s.Entitlements != nil {
		entries = append(entries, entry{5, beBlob(MagicEntitlements, s.Entitlements)})
	}
	if s.DER != nil {
		entries = append(entries, entry{7, beBlob(MagicDER, s.DER)})
	}
	if s.AlternateSHA256 {
		entries = append(entries, entry{0x1000, CodeDirectory(s, 2)})
	}
	entries = append(entries, entry{0x10000, beBlob(MagicWrapper, s.CMS)})
	return Assemble(func() (slots []uint32, blobs [][]byte) {
		for _, e := range entries {
			slots = append(slots, e.slot)
			blobs = append(blobs, e.blob)
		}
		return
	}())
}

// Assemble lays blobs out in a SuperBlob with the given slot types.
func Assemble(slots []uint32, blobs [][]byte) []byte {
	be := binary.BigEndian
	n := len(blobs)
	head := make([]byte, 12+8*n)
	off := len(head)
	var body []byte
	for i, b := range blobs {
		be.PutUint32(head[12+8*i:], slots[i])
		be.PutUint32(head[16+8*i:], uint32(off))
		off += len(b)
		body = append(body, b...)
	}
	be.PutUint32(head[0:], MagicSuperBlob)
	be.PutUint32(head[4:], uint32(off))
	be.PutUint32(head[8:], uint32(n))
	out := append(head, body...)
	// codesign pads the signature; the SuperBlob length excludes it.
	return append(out, make([]byte, 16)...)
}

// Slice is one architecture of a universal binary.
type Slice struct {
	CPU, SubCPU uint32
	Data        []byte
}

// Fat returns a universal (32-bit fat header) binary of the slices, each
// aligned to 16 KB.
func Fat(slices ...Slice) []byte {
	be := binary.BigEndian
	head := make([]byte, 8+20*len(slices))
	be.PutUint32(head, 0xcafebabe)
	be.PutUint32(head[4:], uint32(len(slices)))
	out := head
	for i, s := range slices {
		off := align(len(out), 0x4000)
		out = append(out, make([]byte, off-len(out))...)
		e := out[8+20*i:]
		be.PutUint32(e, s.CPU)
		be.PutUint32(e[4:], s.SubCPU)
		be.PutUint32(e[8:], uint32(off))
		be.PutUint32(e[12:], uint32(len(s.Data)))
		be.PutUint32(e[16:], 14)
		out = append(out, s.Data...)
	}
	return out
}

// Entitlements returns an XML entitlements property list of the given
// key/value lines (already XML: "<key>a</key><true/>").
func Entitlements(body string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
` + body + `</dict>
</plist>
`)
}
