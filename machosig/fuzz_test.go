package machosig

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"

	"github.com/entitlint/entitlint/machosig/machotest"
)

func superBlobSeeds() [][]byte {
	ents := machotest.Entitlements("<key>a</key><true/>")
	return [][]byte{
		machotest.SuperBlob(machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: ents, DER: []byte{0x70, 0}}),
		machotest.SuperBlob(machotest.SigSpec{AlternateSHA256: true, CDVersion: 0x20100}),
		machotest.Assemble([]uint32{0}, [][]byte{machotest.CodeDirectory(machotest.SigSpec{}, 2)}),
		{0xfa, 0xde, 0x0c, 0xc0, 0, 0, 0, 12, 0, 0, 0, 0},
		{0xfa, 0xde, 0x0c, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
}

// FuzzSuperBlob: any input is decoded or rejected, never a panic, and what
// is returned lies within the input.
func FuzzSuperBlob(f *testing.F) {
	for _, s := range superBlobSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sig, err := ParseSuperBlob(data)
		if err != nil {
			if sig != nil {
				t.Fatal("a signature with an error")
			}
			return
		}
		if len(sig.Entitlements) > len(data) || len(sig.DEREntitlements) > len(data) || len(sig.Blobs) > MaxBlobs {
			t.Fatalf("decoded more than the input: %d/%d bytes, %d blobs", len(sig.Entitlements), len(data), len(sig.Blobs))
		}
		for _, b := range sig.Blobs {
			if uint64(b.Offset)+uint64(b.Length) > uint64(len(data)) {
				t.Fatalf("blob %+v outside %d bytes", b, len(data))
			}
		}
		for _, cd := range sig.CodeDirectories {
			if len(cd.Identifier) > maxString || len(cd.TeamID) > maxString {
				t.Fatal("unbounded string")
			}
		}
	})
}

// FuzzMachO: any file is read or rejected without a panic, in bounded time.
func FuzzMachO(f *testing.F) {
	ents := machotest.Entitlements("<key>a</key><true/>")
	thin := machotest.Spec{BuildVersions: [][2]uint32{{1, machotest.Version(14, 0, 0)}}, PageSize: 16,
		Sig: machotest.SigSpec{TeamID: "ABCDE12345", Entitlements: ents}, SectionEntitlements: ents}.Build()
	f.Add(thin)
	f.Add(thin[:300]) // header and load commands only
	f.Add(machotest.Fat(machotest.Slice{CPU: machotest.CPUArm64, Data: thin}, machotest.Slice{CPU: machotest.CPUX86_64, SubCPU: 3, Data: thin}))
	f.Add(machotest.Spec{Unsigned: true, PageSize: 16}.Build())
	f.Add([]byte{0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		file, err := Parse(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			if len(file.Archs) == 0 || len(file.Archs) > maxFatArchs {
				t.Fatalf("%d archs", len(file.Archs))
			}
			for _, a := range file.Archs {
				if s := a.Signature; s != nil && len(s.Entitlements) > len(data) {
					t.Fatal("entitlements larger than the file")
				}
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %v on %d bytes", d, len(data))
		}
	})
}

// FuzzIPA: archives with any content (bundle layout fixed, files fuzzed)
// are read within the limits, without a panic.
func FuzzIPA(f *testing.F) {
	f.Add([]byte(machotest.InfoPlist("com.example.a", "A", true, nil)), machotest.Spec{PageSize: 16}.Build(), "A")
	f.Add([]byte("<plist><dict><key>CFBundleExecutable</key><string>../A</string></dict></plist>"), []byte{0xcf, 0xfa, 0xed, 0xfe}, "../x")
	f.Fuzz(func(t *testing.T, info, exe []byte, name string) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, d := range map[string][]byte{"Payload/A.app/Info.plist": info, "Payload/A.app/A": exe, "Payload/A.app/" + name: exe,
			"Payload/A.app/PlugIns/" + name + ".appex/Info.plist": info} {
			w, err := zw.Create(n)
			if err != nil {
				return
			}
			w.Write(d)
		}
		if zw.Close() != nil {
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			return
		}
		_, _ = readZip(zr, "A.ipa", Limits{MaxFile: 1 << 20, MaxTotal: 2 << 20, MaxTargets: 8})
	})
}
