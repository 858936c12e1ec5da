package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entitlint/entitlint/profile/profiletest"
)

// profile is relative to the file (or, for flags, the working directory)
// that set it, whatever the other layers do with Dir; Options loads it.
func TestProfilePathAndMerge(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "Signing"), 0o755)
	spec := profiletest.IOSDevelopment("ABCDE12345", "com.example.app", time.Now().AddDate(0, -1, 0), nil)
	want := profiletest.Write(t, filepath.Join(dir, "Signing"), "App_Dev.mobileprovision", spec)
	os.WriteFile(filepath.Join(dir, FileName), []byte(`{"profile": "Signing/App_Dev.mobileprovision"}`), 0o644)
	file, err := Load(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := file.ProfilePath(); got != want {
		t.Errorf("ProfilePath = %q, want %q", got, want)
	}
	// A flag layer that sets catalogs moves Dir; profile keeps its anchor.
	merged := Merge(file, &Config{Catalogs: []string{"x.json"}, Dir: "/elsewhere"})
	if got := merged.ProfilePath(); got != want {
		t.Errorf("after merge ProfilePath = %q, want %q", got, want)
	}
	// …and keeps it through a second merge.
	if got := Merge(merged, &Config{Exclude: []string{"x"}, Dir: "/third"}).ProfilePath(); got != want {
		t.Errorf("after two merges ProfilePath = %q, want %q", got, want)
	}
	// A flag layer that sets profile wins, relative to its own Dir.
	if got := Merge(file, &Config{Profile: "Other.mobileprovision", Dir: "/work"}).ProfilePath(); got != filepath.Join("/work", "Other.mobileprovision") {
		t.Errorf("flag ProfilePath = %q", got)
	}
	if got := Merge(file, &Config{Profile: "/abs/P.provisionprofile", Dir: "/work"}).ProfilePath(); got != "/abs/P.provisionprofile" {
		t.Errorf("absolute ProfilePath = %q", got)
	}
	opts, err := Merge(file, nil).Options()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Profile == nil || opts.Profile.Name != spec.Name || opts.Profile.Path == "" {
		t.Fatalf("Options did not load the profile: %+v", opts.Profile)
	}
	// The field round-trips through Write.
	var b strings.Builder
	if err := file.Write(&b); err != nil || !strings.Contains(b.String(), `"profile": "Signing/App_Dev.mobileprovision"`) {
		t.Errorf("Write: %v\n%s", err, b.String())
	}
}

func TestProfileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Parse([]byte(`{"profile": " "}`), "c.json"); err == nil || !strings.Contains(err.Error(), "c.json:1:13: profile: must be a path to a provisioning profile") {
		t.Errorf("empty path: %v", err)
	}
	if _, err := Parse([]byte(`{"profile": ["a"]}`), "c.json"); err == nil || !strings.Contains(err.Error(), "expected a string") {
		t.Errorf("wrong type: %v", err)
	}
	missing := filepath.Join(dir, "nope.mobileprovision")
	if _, err := (&Config{Profile: missing}).Options(); err == nil || err.Error() != "profile "+missing+": no such file or directory" {
		t.Errorf("missing file: %v", err)
	}
	bogus := filepath.Join(dir, "Bogus.mobileprovision")
	os.WriteFile(bogus, []byte("not a profile"), 0o644)
	if _, err := (&Config{Profile: bogus}).Options(); err == nil || !strings.HasPrefix(err.Error(), "profile "+bogus+": not a provisioning profile") {
		t.Errorf("bogus file: %v", err)
	}
}
