package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// readFileLimited is how check, fix and why read the files they are given:
// regular files of any size up to the limit, nothing past it, and special
// files without blocking forever or reading more than the limit.
func TestReadFileLimited(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := bytes.Repeat([]byte("<key>x</key>"), 100_000)
	cases := []struct {
		name     string
		path     string
		limit    int64
		want     []byte
		wantSize int64
		wantErr  string
	}{
		{"small file", write("a.entitlements", []byte("<plist/>")), 100, []byte("<plist/>"), 8, ""},
		{"empty file is read, not skipped", write("empty.entitlements", nil), 100, []byte{}, 0, ""},
		{"exactly the limit", write("limit.entitlements", []byte("0123456789")), 10, []byte("0123456789"), 10, ""},
		{"one byte over the limit", write("over.entitlements", []byte("0123456789A")), 10, nil, 11, ""},
		{"1.2 MB file", write("big.entitlements", big), 10 << 20, big, int64(len(big)), ""},
		{"missing file", filepath.Join(dir, "missing"), 100, nil, 0, "no such file or directory"},
		{"directory", dir, 100, nil, 0, "is a directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, size, err := readFileLimited(c.path, c.limit)
			if c.wantErr != "" {
				if err == nil || cleanErr(err).Error() != c.wantErr {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if size != c.wantSize || !bytes.Equal(data, c.want) || (c.want != nil) != (data != nil) {
				t.Errorf("got %d bytes (nil: %v), size %d; want %d bytes (nil: %v), size %d",
					len(data), data == nil, size, len(c.want), c.want == nil, c.wantSize)
			}
		})
	}
}
