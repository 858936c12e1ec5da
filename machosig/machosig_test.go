package machosig

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/machosig/machotest"
)

var testEnts = machotest.Entitlements("\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n")

func parseBytes(t *testing.T, data []byte) *File {
	t.Helper()
	f, err := Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestParseThin(t *testing.T) {
	spec := machotest.Spec{
		BuildVersions: [][2]uint32{{machotest.PlatformMacOS, machotest.Version(13, 4, 1)}},
		Sig: machotest.SigSpec{Identifier: "com.example.app", TeamID: "ABCDE12345", Entitlements: testEnts,
			DER: []byte{0x70, 0x03, 0x02, 0x01, 0x01}, Flags: FlagRuntime, CMS: []byte{0x30, 0x80, 0, 0}},
	}
	f := parseBytes(t, spec.Build())
	if f.Fat || len(f.Archs) != 1 {
		t.Fatalf("fat=%v archs=%d", f.Fat, len(f.Archs))
	}
	a := f.Archs[0]
	if a.Err != nil {
		t.Fatal(a.Err)
	}
	if a.CPU != "arm64" {
		t.Errorf("CPU = %q", a.CPU)
	}
	if want := []Platform{{ID: PlatformMacOS, MinOS: "13.4.1", SDK: "17.0"}}; !reflect.DeepEqual(a.Platforms, want) {
		t.Errorf("Platforms = %+v, want %+v", a.Platforms, want)
	}
	if a.Platforms[0].Target() != "macos" || a.Platforms[0].Name() != "macOS" {
		t.Errorf("platform names: %q %q", a.Platforms[0].Target(), a.Platforms[0].Name())
	}
	s := a.Signature
	if s == nil {
		t.Fatal("no signature")
	}
	if !bytes.Equal(s.Entitlements, testEnts) {
		t.Errorf("entitlements = %q", s.Entitlements)
	}
	if xml, src, ok := a.Entitlements(); !ok || src != "embedded entitlements" || !bytes.Equal(xml, testEnts) {
		t.Errorf("Arch.Entitlements = %q, %q, %v", xml, src, ok)
	}
	if !s.HasDEREntitlements() || !bytes.Equal(s.DEREntitlements, []byte{0x70, 0x03, 0x02, 0x01, 0x01}) {
		t.Errorf("DER = %x", s.DEREntitlements)
	}
	if s.Identifier() != "com.example.app" || s.TeamID() != "ABCDE12345" {
		t.Errorf("identifier %q team %q", s.Identifier(), s.TeamID())
	}
	cd := s.CodeDirectory()
	if cd.HashType != HashSHA256 || cd.HashType.String() != "sha256" || cd.HashSize != 32 || cd.PageSize != 16384 || cd.Version != 0x20400 {
		t.Errorf("code directory = %+v", cd)
	}
	if got := FlagNames(cd.Flags); !reflect.DeepEqual(got, []string{"runtime"}) {
		t.Errorf("flags = %v", got)
	}
	// The cdhash, computed independently from the blob the builder made.
	want := sha256.Sum256(machotest.CodeDirectory(spec.Sig, 2))
	if cd.CDHash != hex.EncodeToString(want[:20]) {
		t.Errorf("cdhash = %s, want %x", cd.CDHash, want[:20])
	}
	if !s.HasRequirements || s.CMSSize != 4 || s.AdHoc() {
		t.Errorf("requirements %v, CMS %d, ad hoc %v", s.HasRequirements, s.CMSSize, s.AdHoc())
	}
	if len(s.Blobs) != 5 {
		t.Errorf("blobs = %+v", s.Blobs)
	}
}

func TestParseFat(t *testing.T) {
	arm := machotest.Spec{BuildVersions: [][2]uint32{{machotest.PlatformMacOS, machotest.Version(14, 0, 0)}},
		Sig: machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: testEnts}}.Build()
	intelEnts := machotest.Entitlements("<key>com.apple.security.cs.allow-jit</key><true/>")
	intel := machotest.Spec{CPU: machotest.CPUX86_64, SubCPU: machotest.SubX86_64All,
		BuildVersions: [][2]uint32{{machotest.PlatformMacOS, machotest.Version(10, 15, 0)}},
		Sig:           machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: intelEnts}}.Build()
	fat := machotest.Fat(machotest.Slice{CPU: machotest.CPUX86_64, SubCPU: 3, Data: intel},
		machotest.Slice{CPU: machotest.CPUArm64, SubCPU: machotest.SubArm64E | 0x80000000, Data: arm})
	f := parseBytes(t, fat)
	if !f.Fat || len(f.Archs) != 2 {
		t.Fatalf("fat=%v archs=%d", f.Fat, len(f.Archs))
	}
	if f.Archs[0].CPU != "x86_64" || f.Archs[1].CPU != "arm64" {
		// The slice header says arm64e; the slice's own header (arm64) wins.
		t.Errorf("CPUs = %q, %q", f.Archs[0].CPU, f.Archs[1].CPU)
	}
	for i, want := range [][]byte{intelEnts, testEnts} {
		a := f.Archs[i]
		if a.Err != nil || a.Signature == nil || !bytes.Equal(a.Signature.Entitlements, want) {
			t.Errorf("arch %d: err %v, signature %+v", i, a.Err, a.Signature)
		}
	}
	if f.Archs[0].Platforms[0].MinOS != "10.15" || f.Archs[1].Offset%0x4000 != 0 || f.Archs[1].Offset == 0 {
		t.Errorf("arch layout: %+v", f.Archs)
	}
}

func TestCodeDirectoryVersions(t *testing.T) {
	// Before 0x20200 there is no team ID field, even if a team was asked for.
	old := parseBytes(t, machotest.Spec{Sig: machotest.SigSpec{CDVersion: 0x20100, TeamID: "ABCDE12345", Flags: FlagAdhoc}}.Build())
	s := old.Archs[0].Signature
	if s.TeamID() != "" || s.CodeDirectory().Version != 0x20100 || !s.AdHoc() || s.Entitlements != nil {
		t.Errorf("old code directory: %+v", s.CodeDirectory())
	}
	for _, v := range []uint32{0x20001, 0x20200, 0x20300, 0x20400} {
		f := parseBytes(t, machotest.Spec{Sig: machotest.SigSpec{CDVersion: v, TeamID: "ABCDE12345"}}.Build())
		want := "ABCDE12345"
		if v < 0x20200 {
			want = ""
		}
		if got := f.Archs[0].Signature.TeamID(); got != want {
			t.Errorf("version %#x: team %q, want %q", v, got, want)
		}
	}
	// A SHA-1 primary with a SHA-256 alternate, as codesign writes for old
	// deployment targets.
	alt := parseBytes(t, machotest.Spec{Sig: machotest.SigSpec{AlternateSHA256: true, TeamID: "ABCDE12345"}}.Build())
	s = alt.Archs[0].Signature
	if got := s.HashTypes(); !reflect.DeepEqual(got, []HashType{HashSHA1, HashSHA256}) {
		t.Errorf("hash types = %v", got)
	}
	want := sha1.Sum(machotest.CodeDirectory(machotest.SigSpec{AlternateSHA256: true, TeamID: "ABCDE12345"}, 1))
	if s.CodeDirectory().CDHash != hex.EncodeToString(want[:]) || s.CodeDirectories[1].Slot != SlotAlternateCodeDir {
		t.Errorf("code directories = %+v", s.CodeDirectories)
	}
	for _, h := range []HashType{HashSHA256Truncated, HashSHA384, HashSHA512, 9} {
		f := parseBytes(t, machotest.Spec{Sig: machotest.SigSpec{HashType: uint8(h)}}.Build())
		cd := f.Archs[0].Signature.CodeDirectory()
		if cd.HashType != h || (h == 9) != (cd.CDHash == "") || (h != 9 && len(cd.CDHash) != 40) {
			t.Errorf("hash type %v: %+v", h, cd)
		}
	}
}

func TestUnsignedAndSimulator(t *testing.T) {
	f := parseBytes(t, machotest.Spec{Unsigned: true}.Build())
	if a := f.Archs[0]; a.Signature != nil || a.Err != nil {
		t.Errorf("unsigned: %+v", a)
	}
	if _, _, ok := f.Archs[0].Entitlements(); ok {
		t.Error("unsigned binary has entitlements")
	}
	sim := machotest.Spec{BuildVersions: [][2]uint32{{machotest.PlatformIOSSim, machotest.Version(17, 0, 0)}},
		SectionEntitlements: append(append([]byte{}, testEnts...), 0, 0, 0), Sig: machotest.SigSpec{Flags: FlagAdhoc | FlagLinkerSigned}}
	f = parseBytes(t, sim.Build())
	a := f.Archs[0]
	xml, src, ok := a.Entitlements()
	if !ok || src != "__TEXT,__entitlements section" || !bytes.Equal(xml, testEnts) {
		t.Errorf("simulator entitlements: %q %q %v (err %v)", xml, src, ok, a.Err)
	}
	p := a.Platforms[0]
	if !p.Simulator() || p.Target() != "ios" || p.Name() != "iOS Simulator" {
		t.Errorf("platform %+v", p)
	}
	if got := FlagNames(a.Signature.CodeDirectory().Flags); !reflect.DeepEqual(got, []string{"adhoc", "linker-signed"}) {
		t.Errorf("flags %v", got)
	}
}

func TestPlatforms(t *testing.T) {
	for id, want := range map[uint32][2]string{
		1: {"macOS", "macos"}, 2: {"iOS", "ios"}, 3: {"tvOS", "tvos"}, 4: {"watchOS", "watchos"}, 5: {"bridgeOS", ""},
		6: {"Mac Catalyst", "catalyst"}, 10: {"DriverKit", "driverkit"}, 11: {"visionOS", "visionos"},
		12: {"visionOS Simulator", "visionos"}, 99: {"platform 99", ""},
	} {
		p := Platform{ID: id}
		if p.Name() != want[0] || p.Target() != want[1] {
			t.Errorf("platform %d: %q %q", id, p.Name(), p.Target())
		}
	}
	// A zippered binary: macOS and Mac Catalyst.
	f := parseBytes(t, machotest.Spec{BuildVersions: [][2]uint32{{1, machotest.Version(12, 0, 0)}, {6, machotest.Version(15, 0, 0)}}}.Build())
	if ps := f.Archs[0].Platforms; len(ps) != 2 || ps[1].Target() != "catalyst" || ps[1].MinOS != "15.0" {
		t.Errorf("zippered platforms = %+v", ps)
	}
}

func TestIsMachO(t *testing.T) {
	for _, tt := range []struct {
		data []byte
		want bool
	}{
		{[]byte{0xcf, 0xfa, 0xed, 0xfe}, true},
		{[]byte{0xce, 0xfa, 0xed, 0xfe}, true},
		{[]byte{0xfe, 0xed, 0xfa, 0xcf}, true},
		{[]byte{0xca, 0xfe, 0xba, 0xbe}, true},
		{[]byte{0xca, 0xfe, 0xba, 0xbf}, true},
		{[]byte("#!/bin/sh\n"), false},
		{[]byte("<?xml"), false},
		{[]byte{0xcf, 0xfa}, false},
		{nil, false},
	} {
		if got := IsMachO(tt.data); got != tt.want {
			t.Errorf("IsMachO(%x) = %v", tt.data, got)
		}
	}
}

// TestMalformed: every broken input is an error (or an Arch error) that
// says what is wrong, never a panic.
func TestMalformed(t *testing.T) {
	good := machotest.Spec{BuildVersions: [][2]uint32{{1, machotest.Version(14, 0, 0)}},
		Sig: machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: testEnts}}.Build()
	java := append([]byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34}, make([]byte, 100)...)
	badFat := machotest.Fat(machotest.Slice{CPU: machotest.CPUArm64, Data: good})
	binary.BigEndian.PutUint32(badFat[16:], 0x7fffffff) // slice size
	bigFat := append([]byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 3}, make([]byte, 20)...)

	tests := []struct {
		name string
		data []byte
		want string // in the error (file or arch)
	}{
		{"empty", nil, "not a Mach-O"},
		{"script", []byte("#!/bin/sh\necho hi\n"), "not a Mach-O"},
		{"java class", java, "not a Mach-O executable (universal header claims 52 architectures)"},
		{"header only", good[:32], "truncated Mach-O"},
		{"cut in load commands", good[:100], "truncated Mach-O"},
		{"cut in the signature", good[:0x4000+40], "past the end of the"},
		{"fat slice outside the file", badFat, "lies outside"},
		{"fat table past the end", bigFat, "universal header lists 3 architectures"},
		{"not a SuperBlob", machotest.Spec{Signature: []byte("this is not a code signature")}.Build(), "magic 0xfade0cc0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(bytes.NewReader(tt.data), int64(len(tt.data)))
			if err == nil {
				for _, a := range f.Archs {
					if a.Err != nil {
						err = a.Err
					}
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseSuperBlobMalformed(t *testing.T) {
	be := binary.BigEndian
	good := machotest.SuperBlob(machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: testEnts})
	if _, err := ParseSuperBlob(good); err != nil {
		t.Fatal(err)
	}
	mut := func(f func(b []byte)) []byte {
		b := append([]byte{}, good...)
		f(b)
		return b
	}
	cdOff := be.Uint32(good[16:])
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"short", good[:8], "too short"},
		{"magic", mut(func(b []byte) { b[0] = 0 }), "magic"},
		{"length past data", mut(func(b []byte) { be.PutUint32(b[4:], uint32(len(b)+1)) }), "does not fit"},
		{"huge count", mut(func(b []byte) { be.PutUint32(b[8:], 0xffffffff) }), "claims 4294967295 blobs"},
		{"count past length", mut(func(b []byte) { be.PutUint32(b[8:], 200) }), "runs past"},
		{"blob offset past end", mut(func(b []byte) { be.PutUint32(b[16:], 0xfffffff0) }), "past the signature's end"},
		{"blob length past end", mut(func(b []byte) { be.PutUint32(b[cdOff+4:], 0x7fffffff) }), "past the signature's end"},
		{"blob length too small", mut(func(b []byte) { be.PutUint32(b[cdOff+4:], 4) }), "has length 4"},
		{"identifier offset outside", mut(func(b []byte) { be.PutUint32(b[cdOff+20:], 0xffff) }), "identifier: offset"},
		{"team offset outside", mut(func(b []byte) { be.PutUint32(b[cdOff+48:], 0xffffff) }), "team identifier: offset"},
		{"code directory too short", mut(func(b []byte) { be.PutUint32(b[cdOff+4:], 20) }), "shorter than a code directory header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSuperBlob(tt.data)
			var fe *FormatError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &fe) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	// An identifier without its NUL: the string runs to the end of the blob.
	cd := machotest.CodeDirectory(machotest.SigSpec{Identifier: "x"}, 2)
	identOff := be.Uint32(cd[20:])
	for i := int(identOff); i < len(cd); i++ {
		cd[i] = 'a'
	}
	sb := machotest.Assemble([]uint32{0}, [][]byte{cd})
	if _, err := ParseSuperBlob(sb); err == nil || !strings.Contains(err.Error(), "not NUL-terminated") {
		t.Errorf("unterminated identifier: %v", err)
	}
}

// TestGoToolchainBinary cross-compiles a tiny program for macOS with the
// Go toolchain (whose linker signs arm64 binaries ad hoc), checks what is
// read from the real linker output, then replaces its signature with one
// carrying entitlements and a team.
func TestGoToolchainBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a darwin binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hi\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(arch string) []byte {
		out := filepath.Join(dir, "hi-"+arch)
		cmd := exec.Command(goTool, "build", "-o", out, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS=darwin", "GOARCH="+arch, "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build for darwin/%s: %v\n%s", arch, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	arm := build("arm64")
	f := parseBytes(t, arm)
	a := f.Archs[0]
	if a.Err != nil || a.CPU != "arm64" {
		t.Fatalf("arch: %+v", a)
	}
	if len(a.Platforms) == 0 || a.Platforms[0].ID != PlatformMacOS {
		t.Errorf("platforms = %+v", a.Platforms)
	}
	if a.Signature == nil {
		t.Fatal("the Go linker's ad hoc signature was not found")
	}
	cd := a.Signature.CodeDirectory()
	if cd == nil || cd.HashType != HashSHA256 || cd.Flags&FlagLinkerSigned == 0 || !a.Signature.AdHoc() ||
		a.Signature.Entitlements != nil || cd.Identifier == "" || len(cd.CDHash) != 40 {
		t.Errorf("linker signature: %+v", cd)
	}

	ents := machotest.Entitlements("\t<key>com.apple.security.get-task-allow</key>\n\t<true/>\n")
	resigned, err := machotest.Resign(arm, machotest.SuperBlob(machotest.SigSpec{Identifier: "com.example.hi", TeamID: "ABCDE12345", Entitlements: ents, Flags: FlagRuntime}))
	if err != nil {
		t.Fatal(err)
	}
	intel := build("amd64")
	fat := machotest.Fat(machotest.Slice{CPU: machotest.CPUX86_64, SubCPU: 3, Data: intel}, machotest.Slice{CPU: machotest.CPUArm64, Data: resigned})
	f = parseBytes(t, fat)
	if len(f.Archs) != 2 || f.Archs[0].CPU != "x86_64" {
		t.Fatalf("archs = %+v", f.Archs)
	}
	if f.Archs[0].Err != nil {
		t.Errorf("x86_64 slice: %v", f.Archs[0].Err)
	}
	a = f.Archs[1]
	if a.Err != nil || a.Signature == nil || !bytes.Equal(a.Signature.Entitlements, ents) ||
		a.Signature.TeamID() != "ABCDE12345" || a.Signature.Identifier() != "com.example.hi" || a.Platforms[0].Target() != "macos" {
		t.Errorf("re-signed slice: err %v, signature %+v, platforms %+v", a.Err, a.Signature, a.Platforms)
	}
}
