package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Files are checked while the tree is still being walked, but the report
// keeps one order: the command line's, and within a directory, paths in
// sorted order (which is not the walk's: "a.x/" sorts before "a/", and
// the walk enters "a/" first).
func TestReportOrderIsStable(t *testing.T) {
	dir := t.TempDir()
	broken, err := os.ReadFile("../testdata/examples/Broken.entitlements")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, name := range []string{"a/z.entitlements", "a.x/b.entitlements", "a-b/c.entitlements", "B/d.entitlements",
		"a/a.entitlements", "é/e.entitlements", "top.entitlements", "a/deep/er/f.entitlements"} {
		p := filepath.Join(dir, "tree", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, broken, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	single := filepath.Join(dir, "single.entitlements")
	if err := os.WriteFile(single, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(dir, "tree")
	sortedTree := []string{
		tree + "/B/d.entitlements", tree + "/a-b/c.entitlements", tree + "/a.x/b.entitlements",
		tree + "/a/a.entitlements", tree + "/a/deep/er/f.entitlements", tree + "/a/z.entitlements",
		tree + "/top.entitlements", tree + "/é/e.entitlements",
	}
	for _, jobs := range []string{"1", "2", "8"} {
		// single first, then the tree (which contains files[0] again: it
		// is reported once, in the tree), then files[0] again (skipped).
		out, _, _ := run(t, "", "check", "--format", "json", "--jobs", jobs, single, tree, files[0])
		var rep jsonReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			if len(got) == 0 || got[len(got)-1] != f.File {
				got = append(got, f.File)
			}
		}
		want := append([]string{single}, sortedTree...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("--jobs %s: files reported in the order\n%q\nwant\n%q", jobs, got, want)
		}
	}
}
