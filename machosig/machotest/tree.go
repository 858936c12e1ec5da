package machotest

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"howett.net/plist"
)

// InfoPlist returns an Info.plist with the bundle ID and executable name
// (either may be "" to leave it out) plus extra keys, in the binary format
// Xcode writes into iOS builds when bin is true, else XML.
func InfoPlist(bundleID, executable string, bin bool, extra map[string]any) []byte {
	d := map[string]any{"CFBundlePackageType": "APPL"}
	if bundleID != "" {
		d["CFBundleIdentifier"] = bundleID
	}
	if executable != "" {
		d["CFBundleExecutable"] = executable
	}
	for k, v := range extra {
		d[k] = v
	}
	format := plist.XMLFormat
	if bin {
		format = plist.BinaryFormat
	}
	out, err := plist.Marshal(d, format)
	if err != nil {
		panic(err)
	}
	return out
}

// WriteTree writes files (slash-separated paths relative to dir), making
// directories as needed. Executables get mode 0755.
func WriteTree(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// Zip returns a zip archive of files, in name order. Names are written as
// given: tests use it for hostile names too.
func Zip(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
