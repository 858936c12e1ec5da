package plistxml

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"howett.net/plist"
)

var update = flag.Bool("update", false, "rewrite the .golden files (and the generated binary plists)")

const testdataDir = "../testdata/parser"

// goldenInputs lists the parser test inputs.
func goldenInputs(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(testdataDir, "*.plist"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs in %s: %v", testdataDir, err)
	}
	return files
}

// binaryFixture is what binary.plist holds; it is regenerated with -update.
func binaryFixture() map[string]any {
	return map[string]any{
		"com.apple.security.app-sandbox":        true,
		"com.apple.security.application-groups": []any{"group.com.example"},
		"aps-environment":                       "production",
		"count":                                 uint64(3),
		"negative":                              int64(-2),
		"ratio":                                 1.5,
		"when":                                  time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC),
		"blob":                                  []byte{1, 2, 3},
		"nested":                                map[string]any{"off": false},
	}
}

func writeBinaryFixtures(t *testing.T) {
	b, err := plist.Marshal(binaryFixture(), plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(testdataDir, "binary.plist"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	// the same document with its trailer cut off
	if err := os.WriteFile(filepath.Join(testdataDir, "binary-corrupt.plist"), b[:len(b)-20], 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGolden(t *testing.T) {
	if *update {
		writeBinaryFixtures(t)
	}
	for _, in := range goldenInputs(t) {
		name := strings.TrimSuffix(filepath.Base(in), ".plist")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(Parse(src))
			golden := strings.TrimSuffix(in, ".plist") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./plistxml -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from golden file (run go test ./plistxml -update and review the diff)\n--- got\n%s\n--- want\n%s", in, got, want)
			}
		})
	}
}
