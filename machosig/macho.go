// Package machosig reads what a signed Apple executable carries about its
// entitlements: the code signature that LC_CODE_SIGNATURE points at (the
// SuperBlob with its entitlements, DER entitlements, code directories,
// requirements and CMS blobs), the platform from LC_BUILD_VERSION, and, in
// app bundles (.app directories and .ipa archives), the main executables of
// the app and of its extensions with their Info.plist and embedded
// provisioning profile.
//
// Thin and universal (fat) Mach-O files are read. Each architecture's
// header and load commands are decoded with debug/macho; the fat header
// (32- and 64-bit) and the code signature are decoded here, because
// debug/macho reads neither (its FatFile also fails as a whole when one
// slice is bad, where entitlint reports the good slices and names the bad
// one).
//
// Every offset, count and size read from the file is checked against the
// file before it is used, and nothing here panics on any input: debug/macho
// can, on crafted files, so its calls are recovered.
//
// References: xnu osfmk/kern/cs_blobs.h (blob magics, slots, code directory
// layout), mach-o/loader.h and mach-o/fat.h (load commands, platforms), and
// TN3125 "Inside Code Signing: Provisioning Profiles" (embedded profiles).
package machosig

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotMachO is returned for a file that is not a Mach-O or universal
// binary.
var ErrNotMachO = errors.New("not a Mach-O executable")

// Load commands read here (mach-o/loader.h).
const (
	lcCodeSignature    = 0x1d
	lcVersionMinMacOS  = 0x24
	lcVersionMinIOS    = 0x25
	lcVersionMinTVOS   = 0x2f
	lcVersionMinWatch  = 0x30
	lcBuildVersion     = 0x32
	maxFatArchs        = 30 // as file(1): Java class files (0xcafebabe too) have versions from 45
	maxEntitlementsSec = 4 << 20
	fatMagic           = 0xcafebabe
	fatMagic64         = 0xcafebabf
)

// File is a Mach-O file: one architecture for a thin file, one per slice
// for a universal one.
type File struct {
	Fat   bool
	Archs []Arch
}

// Arch is one architecture of a Mach-O file.
type Arch struct {
	// CPU is the architecture as Apple's tools name it: "arm64",
	// "arm64e", "x86_64", "arm64_32", "armv7k", "i386"…
	CPU string
	// Offset and Size locate the slice in the file (0 and the file size
	// for a thin file).
	Offset, Size int64
	// Platforms are the LC_BUILD_VERSION (or older LC_VERSION_MIN_*)
	// commands, in order: two for a zippered macOS + Mac Catalyst binary.
	Platforms []Platform
	// Signature is the decoded code signature, nil when the slice is not
	// signed (no LC_CODE_SIGNATURE).
	Signature *Signature
	// SectionEntitlements is the content of the __TEXT,__entitlements
	// section, where simulator builds keep their entitlements (their
	// signature is ad hoc and has none), or nil.
	SectionEntitlements []byte
	// Err says why the slice could not be read completely. Platforms may
	// still be set when only the signature is bad.
	Err error
}

// Entitlements returns the entitlements property list and where it came
// from: the signature's entitlements blob, else the __entitlements section
// of a simulator build. ok is false when there is neither.
func (a *Arch) Entitlements() (xml []byte, source string, ok bool) {
	if a.Signature != nil && a.Signature.Entitlements != nil {
		return a.Signature.Entitlements, "embedded entitlements", true
	}
	if a.SectionEntitlements != nil {
		return a.SectionEntitlements, "__TEXT,__entitlements section", true
	}
	return nil, "", false
}

// Platform is one LC_BUILD_VERSION (or LC_VERSION_MIN_*) command.
type Platform struct {
	ID    uint32 // PLATFORM_* from mach-o/loader.h
	MinOS string // "14.0"
	SDK   string // "17.2"; "" when unknown
}

// Platform IDs (mach-o/loader.h PLATFORM_*).
const (
	PlatformMacOS            = 1
	PlatformIOS              = 2
	PlatformTVOS             = 3
	PlatformWatchOS          = 4
	PlatformBridgeOS         = 5
	PlatformMacCatalyst      = 6
	PlatformIOSSimulator     = 7
	PlatformTVOSSimulator    = 8
	PlatformWatchOSSimulator = 9
	PlatformDriverKit        = 10
	PlatformVisionOS         = 11
	PlatformVisionOSSim      = 12
)

var platformNames = map[uint32]struct{ name, id string }{
	PlatformMacOS:            {"macOS", "macos"},
	PlatformIOS:              {"iOS", "ios"},
	PlatformTVOS:             {"tvOS", "tvos"},
	PlatformWatchOS:          {"watchOS", "watchos"},
	PlatformBridgeOS:         {"bridgeOS", ""},
	PlatformMacCatalyst:      {"Mac Catalyst", "catalyst"},
	PlatformIOSSimulator:     {"iOS Simulator", "ios"},
	PlatformTVOSSimulator:    {"tvOS Simulator", "tvos"},
	PlatformWatchOSSimulator: {"watchOS Simulator", "watchos"},
	PlatformDriverKit:        {"DriverKit", "driverkit"},
	PlatformVisionOS:         {"visionOS", "visionos"},
	PlatformVisionOSSim:      {"visionOS Simulator", "visionos"},
}

// Name is Apple's name for the platform ("macOS", "iOS Simulator"…).
func (p Platform) Name() string {
	if n, ok := platformNames[p.ID]; ok {
		return n.name
	}
	return fmt.Sprintf("platform %d", p.ID)
}

// Target is entitlint's platform ID for the platform ("macos", "ios",
// "catalyst", …; simulators count as their platform), or "" for one
// entitlint does not check (bridgeOS, unknown IDs).
func (p Platform) Target() string { return platformNames[p.ID].id }

// Simulator reports a simulator platform.
func (p Platform) Simulator() bool {
	switch p.ID {
	case PlatformIOSSimulator, PlatformTVOSSimulator, PlatformWatchOSSimulator, PlatformVisionOSSim:
		return true
	}
	return false
}

// version decodes a packed xxxx.yy.zz version: "14.0", "13.4.1".
func version(v uint32) string {
	major, minor, patch := v>>16, (v>>8)&0xff, v&0xff
	if patch != 0 {
		return fmt.Sprintf("%d.%d.%d", major, minor, patch)
	}
	return fmt.Sprintf("%d.%d", major, minor)
}

// IsMachO reports whether data starts like a Mach-O or universal binary.
// A universal binary's magic is also a Java class file's; Parse tells them
// apart.
func IsMachO(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	switch binary.BigEndian.Uint32(data) {
	case macho.Magic32, macho.Magic64, fatMagic, fatMagic64:
		return true
	}
	switch binary.LittleEndian.Uint32(data) {
	case macho.Magic32, macho.Magic64:
		return true
	}
	return false
}

// Open reads the Mach-O file at path.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrNotMachO)
	}
	return Parse(f, st.Size())
}

// Parse reads a Mach-O file of size bytes from r. A file that is not a
// Mach-O is ErrNotMachO; a universal file whose header is corrupt is a
// *FormatError; problems inside one architecture are that Arch's Err.
func Parse(r io.ReaderAt, size int64) (*File, error) {
	var head [8]byte
	if size < int64(len(head)) {
		return nil, ErrNotMachO
	}
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	if !IsMachO(head[:]) {
		return nil, ErrNotMachO
	}
	switch binary.BigEndian.Uint32(head[:]) {
	case fatMagic, fatMagic64:
		return parseFat(r, size, binary.BigEndian.Uint32(head[:]) == fatMagic64)
	}
	a := parseArch(r, 0, size)
	if a.CPU == "" && a.Err != nil {
		return nil, a.Err
	}
	return &File{Archs: []Arch{a}}, nil
}

// parseFat reads a universal binary's header (always big-endian) and each
// slice it lists.
func parseFat(r io.ReaderAt, size int64, is64 bool) (*File, error) {
	be := binary.BigEndian
	var hdr [8]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, fmt.Errorf("reading the universal header: %w", err)
	}
	n := be.Uint32(hdr[4:])
	if n == 0 || n > maxFatArchs {
		// 0xcafebabe followed by a Java class file version (45 and up) is
		// the usual culprit.
		return nil, fmt.Errorf("%w (universal header claims %d architectures)", ErrNotMachO, n)
	}
	entSize := int64(20)
	if is64 {
		entSize = 32
	}
	table := make([]byte, int64(n)*entSize)
	if 8+int64(len(table)) > size {
		return nil, formatErr("universal header lists %d architectures but the file is %d bytes", n, size)
	}
	if _, err := r.ReadAt(table, 8); err != nil {
		return nil, formatErr("reading the universal header: %v", err)
	}
	f := &File{Fat: true}
	for i := int64(0); i < int64(n); i++ {
		e := table[i*entSize:]
		var off, sz uint64
		if is64 {
			off, sz = be.Uint64(e[8:]), be.Uint64(e[16:])
		} else {
			off, sz = uint64(be.Uint32(e[8:])), uint64(be.Uint32(e[12:]))
		}
		cpu := cpuName(be.Uint32(e), be.Uint32(e[4:]))
		if off == 0 || off > uint64(size) || sz > uint64(size)-off {
			f.Archs = append(f.Archs, Arch{CPU: cpu, Offset: int64(min(off, uint64(size))), Size: int64(min(sz, uint64(size))),
				Err: formatErr("%s slice at offset %d, size %d lies outside the %d-byte file", cpu, off, sz, size)})
			continue
		}
		a := parseArch(r, int64(off), int64(sz))
		if a.CPU == "" {
			a.CPU = cpu
		}
		f.Archs = append(f.Archs, a)
	}
	return f, nil
}

// parseArch reads one thin Mach-O at off in r. It never panics: a panic in
// debug/macho becomes the Arch's error.
func parseArch(r io.ReaderAt, off, size int64) (a Arch) {
	a = Arch{Offset: off, Size: size}
	defer func() {
		if v := recover(); v != nil {
			a.Err = formatErr("corrupt Mach-O header (%v)", v)
		}
	}()
	sr := io.NewSectionReader(r, off, size)
	if err := checkHeader(sr, size); err != nil {
		a.Err = err
		return a
	}
	mf, err := macho.NewFile(sr)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			a.Err = formatErr("truncated Mach-O: its load commands run past the end of the file")
		} else {
			a.Err = formatErr("corrupt Mach-O: %v", err)
		}
		return a
	}
	a.CPU = cpuName(uint32(mf.Cpu), mf.SubCpu)
	bo := mf.ByteOrder
	var sigOff, sigSize uint32
	haveSig := false
	for _, l := range mf.Loads {
		raw := l.Raw()
		if len(raw) < 8 {
			continue
		}
		switch bo.Uint32(raw) {
		case lcCodeSignature:
			if len(raw) < 16 {
				a.Err = formatErr("LC_CODE_SIGNATURE is %d bytes, shorter than 16", len(raw))
				return a
			}
			sigOff, sigSize, haveSig = bo.Uint32(raw[8:]), bo.Uint32(raw[12:]), true
		case lcBuildVersion:
			if len(raw) >= 24 {
				p := Platform{ID: bo.Uint32(raw[8:]), MinOS: version(bo.Uint32(raw[12:]))}
				if sdk := bo.Uint32(raw[16:]); sdk != 0 {
					p.SDK = version(sdk)
				}
				a.Platforms = append(a.Platforms, p)
			}
		case lcVersionMinMacOS, lcVersionMinIOS, lcVersionMinTVOS, lcVersionMinWatch:
			if len(raw) >= 16 {
				id := map[uint32]uint32{lcVersionMinMacOS: PlatformMacOS, lcVersionMinIOS: PlatformIOS,
					lcVersionMinTVOS: PlatformTVOS, lcVersionMinWatch: PlatformWatchOS}[bo.Uint32(raw)]
				p := Platform{ID: id, MinOS: version(bo.Uint32(raw[8:]))}
				if sdk := bo.Uint32(raw[12:]); sdk != 0 {
					p.SDK = version(sdk)
				}
				a.Platforms = append(a.Platforms, p)
			}
		}
	}
	if s := mf.Section("__entitlements"); s != nil && s.Seg == "__TEXT" {
		a.SectionEntitlements, err = readSection(s, size)
		if err != nil {
			a.Err = err
			return a
		}
	}
	if !haveSig {
		return a
	}
	if uint64(sigOff)+uint64(sigSize) > uint64(size) {
		a.Err = formatErr("LC_CODE_SIGNATURE points at %d bytes at offset %d, past the end of the %d-byte Mach-O (truncated file?)", sigSize, sigOff, size)
		return a
	}
	if sigSize > MaxSignatureSize {
		a.Err = formatErr("code signature is %d bytes, over the %d MB limit", sigSize, MaxSignatureSize>>20)
		return a
	}
	data := make([]byte, sigSize)
	if _, err := sr.ReadAt(data, int64(sigOff)); err != nil {
		a.Err = formatErr("reading the code signature: %v", err)
		return a
	}
	a.Signature, a.Err = ParseSuperBlob(data)
	return a
}

// checkHeader rejects, before debug/macho sizes its buffers from them, a
// header whose load commands cannot fit in the slice, and symbol,
// indirect-symbol and relocation tables that lie outside it.
func checkHeader(r io.ReaderAt, size int64) error {
	var h [28]byte // mach_header; mach_header_64 adds a reserved word
	if size < 28 {
		return formatErr("truncated Mach-O: %d bytes, shorter than a Mach-O header", size)
	}
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return formatErr("reading the Mach-O header: %v", err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if m := binary.BigEndian.Uint32(h[:]); m == macho.Magic32 || m == macho.Magic64 {
		bo = binary.BigEndian
	}
	magic := bo.Uint32(h[:])
	if magic&^1 != macho.Magic32&^1 {
		return ErrNotMachO
	}
	is64 := magic == macho.Magic64
	headerSize := int64(28)
	if is64 {
		headerSize = 32
	}
	ncmds, cmdsSize := bo.Uint32(h[16:]), bo.Uint32(h[20:])
	switch {
	case int64(cmdsSize) > size-headerSize:
		return formatErr("truncated Mach-O: its %d bytes of load commands run past the end of the %d-byte file", cmdsSize, size)
	case uint64(ncmds)*8 > uint64(cmdsSize):
		return formatErr("corrupt Mach-O: %d load commands cannot fit in %d bytes", ncmds, cmdsSize)
	}
	cmds := make([]byte, cmdsSize)
	if _, err := r.ReadAt(cmds, headerSize); err != nil {
		return formatErr("reading the load commands: %v", err)
	}
	inside := func(off, n, each uint64) bool { return off <= uint64(size) && n*each <= uint64(size)-off }
	for i := uint32(0); i < ncmds && len(cmds) >= 8; i++ {
		cmd, csize := bo.Uint32(cmds), bo.Uint32(cmds[4:])
		if csize < 8 || csize > uint32(len(cmds)) {
			break // debug/macho says what is wrong
		}
		c := cmds[:csize]
		cmds = cmds[csize:]
		ok := true
		switch {
		case cmd == uint32(macho.LoadCmdSymtab) && len(c) >= 24:
			symSize := uint64(12)
			if is64 {
				symSize = 16
			}
			ok = inside(uint64(bo.Uint32(c[8:])), uint64(bo.Uint32(c[12:])), symSize) &&
				inside(uint64(bo.Uint32(c[16:])), uint64(bo.Uint32(c[20:])), 1)
		case cmd == uint32(macho.LoadCmdDysymtab) && len(c) >= 64:
			ok = inside(uint64(bo.Uint32(c[56:])), uint64(bo.Uint32(c[60:])), 4)
		case cmd == uint32(macho.LoadCmdSegment64) && len(c) >= 72:
			ok = relocsInside(bo, c[72:], 80, inside)
		case cmd == uint32(macho.LoadCmdSegment) && len(c) >= 56:
			ok = relocsInside(bo, c[56:], 68, inside)
		}
		if !ok {
			return formatErr("truncated Mach-O: load command %d (%#x) points past the end of the %d-byte file", i, cmd, size)
		}
	}
	return nil
}

// relocsInside checks the relocation tables of a segment's section headers
// (reloff and nreloc sit 8 bytes before each header's end).
func relocsInside(bo binary.ByteOrder, sects []byte, headerSize int, inside func(off, n, each uint64) bool) bool {
	for ; len(sects) >= headerSize; sects = sects[headerSize:] {
		at := headerSize - 20 // reloff, nreloc, flags, reserved1, reserved2 (+reserved3 on 64-bit)
		if headerSize == 80 {
			at = headerSize - 24
		}
		if !inside(uint64(bo.Uint32(sects[at:])), uint64(bo.Uint32(sects[at+4:])), 8) {
			return false
		}
	}
	return true
}

// readSection reads a small section that lies inside the slice.
func readSection(s *macho.Section, size int64) ([]byte, error) {
	if s.Size > maxEntitlementsSec || uint64(s.Offset)+s.Size > uint64(size) {
		return nil, formatErr("__TEXT,__entitlements section (%d bytes at %d) lies outside the Mach-O or is too large", s.Size, s.Offset)
	}
	data, err := s.Data()
	if err != nil {
		return nil, formatErr("reading the __TEXT,__entitlements section: %v", err)
	}
	return bytes.TrimRight(data, "\x00"), nil
}

// cpuName names an architecture the way Apple's tools do.
func cpuName(cpu, sub uint32) string {
	const abi64_32 = 0x02000000
	sub &^= 0xff000000 // capability bits (pointer authentication ABI…)
	switch macho.Cpu(cpu) {
	case macho.CpuArm64:
		if sub == 2 {
			return "arm64e"
		}
		return "arm64"
	case macho.Cpu(12 | abi64_32):
		return "arm64_32"
	case macho.CpuAmd64:
		if sub == 8 {
			return "x86_64h"
		}
		return "x86_64"
	case macho.Cpu386:
		return "i386"
	case macho.CpuArm:
		switch sub {
		case 9:
			return "armv7"
		case 11:
			return "armv7s"
		case 12:
			return "armv7k"
		case 6:
			return "armv6"
		}
		return "arm"
	case macho.CpuPpc:
		return "ppc"
	case macho.CpuPpc64:
		return "ppc64"
	}
	return fmt.Sprintf("cpu %#x", cpu)
}
