package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/entitlint/entitlint/plistxml"
	"howett.net/plist"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cli")

// run invokes the CLI in-process like a user would from a shell.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// goldenDir is absolute so tests that change directory still find it.
var goldenDir, _ = filepath.Abs(filepath.Join("..", "testdata", "cli"))

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run go test ./cli -update and review the diff):\n%s", name, got)
	}
}

// The bundled examples are the README's quick start: their output is the
// product's face, so every format is pinned by a golden file.
func TestCheckFormats(t *testing.T) {
	t.Chdir("..")
	for _, format := range []string{"text", "json", "sarif", "github"} {
		t.Run(format, func(t *testing.T) {
			out, errOut, code := run(t, "", "check", "--format", format, "testdata/examples/")
			if code != ExitFindings {
				t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errOut)
			}
			golden(t, "examples."+format+".golden", out)
		})
	}
}

func TestJSONContract(t *testing.T) {
	t.Chdir("..")
	out, _, _ := run(t, "", "check", "--format", "json", "testdata/examples/Broken.entitlements")
	var rep struct {
		Version  int `json:"version"`
		Findings []struct {
			File, Rule, Severity, Message string
			Range                         struct{ Start, End struct{ Line, Column int } }
			Fixes                         []struct {
				Title string
				Edits []struct {
					Range   struct{ Start, End struct{ Line, Column int } }
					NewText string `json:"newText"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Version != 1 || len(rep.Findings) == 0 {
		t.Fatalf("version %d, %d findings", rep.Version, len(rep.Findings))
	}
	for _, f := range rep.Findings {
		if f.File == "" || f.Rule == "" || f.Message == "" || f.Range.Start.Line < 1 || f.Range.Start.Column < 1 {
			t.Errorf("incomplete finding %+v", f)
		}
		switch f.Severity {
		case "error", "warning", "info", "hint":
		default:
			t.Errorf("severity %q", f.Severity)
		}
	}
}

func TestSARIFShape(t *testing.T) {
	t.Chdir("..")
	out, _, _ := run(t, "", "check", "--format", "sarif", "testdata/examples/Broken.entitlements")
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log["version"] != "2.1.0" {
		t.Errorf("version %v", log["version"])
	}
	runs := log["runs"].([]any)
	r0 := runs[0].(map[string]any)
	driver := r0["tool"].(map[string]any)["driver"].(map[string]any)
	rulesMeta := driver["rules"].([]any)
	results := r0["results"].([]any)
	if len(rulesMeta) < 20 || len(results) == 0 {
		t.Fatalf("%d rules, %d results", len(rulesMeta), len(results))
	}
	for _, res := range results {
		m := res.(map[string]any)
		idx := int(m["ruleIndex"].(float64))
		if rulesMeta[idx].(map[string]any)["id"] != m["ruleId"] {
			t.Errorf("ruleIndex %d does not point at %v", idx, m["ruleId"])
		}
	}
}

func TestExitCodes(t *testing.T) {
	t.Chdir("..")
	dir := t.TempDir()
	warnOnly := filepath.Join(dir, "warn.entitlements")
	os.WriteFile(warnOnly, []byte(`<plist version="1.0"><dict><key>com.example.unknown</key><true/></dict></plist>`), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"clean file", []string{"check", "testdata/examples/iOSApp.entitlements"}, ExitOK, ""},
		{"errors", []string{"check", "testdata/examples/Broken.entitlements"}, ExitFindings, ""},
		{"warnings pass by default", []string{"check", warnOnly}, ExitOK, ""},
		{"--fail-on warning", []string{"check", "--fail-on", "warning", warnOnly}, ExitFindings, ""},
		{"rule turned off", []string{"check", "--rule", "unknown-key=off", "--fail-on", "hint", warnOnly}, ExitOK, ""},
		{"missing file", []string{"check", "no/such.entitlements"}, ExitUsage, "no such file"},
		{"no paths", []string{"check"}, ExitUsage, "no paths"},
		{"bad format", []string{"check", "--format", "xml", "x"}, ExitUsage, "unknown --format"},
		{"bad platform", []string{"check", "--platform", "android", "x"}, ExitUsage, "unknown platform"},
		{"bad rule override", []string{"check", "--rule", "nope=off", "x"}, ExitUsage, "unknown rule"},
		{"unknown command", []string{"lint"}, ExitUsage, "unknown command"},
		{"help", []string{"--help"}, ExitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.err) {
				t.Errorf("stderr %q does not mention %q", errOut, tt.err)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	out, _, code := run(t, `<plist version="1.0"><dict><key>com.apple.developer.app-groups</key><array/></dict></plist>`,
		"check", "--stdin-filename", "App.entitlements", "-")
	if code != ExitFindings || !strings.Contains(out, "App.entitlements:1:") || !strings.Contains(out, "hallucinated-key") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// A directory is searched for *.entitlements; a file named explicitly is
// read whatever its name.
func TestFileCollection(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "App")
	os.MkdirAll(filepath.Join(dir, "node_modules", "x"), 0o755)
	os.MkdirAll(sub, 0o755)
	bad := `<plist version="1.0"><dict><key>UIBackgroundModes</key><array/></dict></plist>`
	os.WriteFile(filepath.Join(sub, "App.entitlements"), []byte(bad), 0o644)
	os.WriteFile(filepath.Join(sub, "Info.plist"), []byte(bad), 0o644)
	os.WriteFile(filepath.Join(dir, "node_modules", "x", "x.entitlements"), []byte(bad), 0o644)
	files := func(args ...string) []string {
		out, _, _ := run(t, "", append([]string{"check", "--format", "json"}, args...)...)
		var rep struct{ Findings []struct{ File string } }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range rep.Findings {
			if n := filepath.Base(f.File); len(names) == 0 || names[len(names)-1] != n {
				names = append(names, n)
			}
		}
		return names
	}
	if got := files(dir); strings.Join(got, ",") != "App.entitlements" {
		t.Errorf("walk checked %v, want only App.entitlements", got)
	}
	if got := files(filepath.Join(sub, "Info.plist")); strings.Join(got, ",") != "Info.plist" {
		t.Errorf("explicit file: checked %v", got)
	}
}

// The workspace config is found by walking up, and flags win over it.
func TestConfigDiscovery(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte(`{"platforms": ["macos"]}`), 0o644)
	sub := filepath.Join(dir, "Mac", "App")
	os.MkdirAll(sub, 0o755)
	file := filepath.Join(sub, "App.entitlements")
	os.WriteFile(file, []byte(`<plist version="1.0"><dict>
	<key>aps-environment</key><string>development</string>
</dict></plist>`), 0o644)

	out, _, _ := run(t, "", "check", "--fail-on", "hint", file)
	if !strings.Contains(out, "com.apple.developer.aps-environment") {
		t.Errorf("macOS config not applied:\n%s", out)
	}
	out, _, code := run(t, "", "check", "--fail-on", "hint", "--platform", "ios", file)
	if code != ExitOK {
		t.Errorf("--platform ios should win over the config; exit %d:\n%s", code, out)
	}

	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte("{\n  \"platforms\": [\"macos\"],\n  \"colour\": true\n}"), 0o644)
	_, errOut, code := run(t, "", "check", file)
	if code != ExitUsage || !strings.Contains(errOut, ".entitlint.json:3:3: colour: unknown field") {
		t.Errorf("bad config: exit %d, stderr %q", code, errOut)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}

func TestFix(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "App.entitlements")
	copyFile(t, "../testdata/examples/Broken.entitlements", file, 0o640)
	orig, _ := os.ReadFile(file)

	diff, _, _ := run(t, "", "fix", "--dry-run", file)
	if now, _ := os.ReadFile(file); !bytes.Equal(now, orig) {
		t.Fatal("--dry-run changed the file")
	}
	if !strings.Contains(diff, "-\t<key>com.apple.developer.app-groups</key>") ||
		!strings.Contains(diff, "+\t<key>com.apple.security.application-groups</key>") {
		t.Errorf("dry-run diff:\n%s", diff)
	}

	out, errOut, _ := run(t, "", "fix", file)
	fixed, _ := os.ReadFile(file)
	if bytes.Equal(fixed, orig) {
		t.Fatalf("nothing fixed; stderr %s", errOut)
	}
	st, _ := os.Stat(file)
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	doc := plistxml.Parse(fixed)
	if doc.HasErrors() {
		t.Errorf("fixed file does not parse: %v", doc.Problems)
	}
	for _, gone := range []string{"com.apple.developer.app-groups", "com.apple.developer.in-app-purchase", "<string>YES</string>", "-- please"} {
		if bytes.Contains(fixed, []byte(gone)) {
			t.Errorf("safe fix for %q not applied:\n%s", gone, fixed)
		}
	}
	// Guesses are never applied: the typo stays for a person to choose.
	if !bytes.Contains(fixed, []byte("com.apple.developer.asociated-domains")) {
		t.Error("an unsafe did-you-mean fix was applied")
	}
	if !strings.Contains(out, "asociated-domains") {
		t.Errorf("remaining findings not reported:\n%s", out)
	}
	// howett agrees the result is a valid plist.
	var v map[string]any
	if _, err := plist.Unmarshal(fixed, &v); err != nil {
		t.Errorf("howett cannot read the fixed file: %v", err)
	}
}

func TestFixKeepsSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.entitlements")
	link := filepath.Join(dir, "App.entitlements")
	copyFile(t, "../testdata/examples/Broken.entitlements", target, 0o644)
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	run(t, "", "fix", link)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file")
	}
	data, _ := os.ReadFile(target)
	if bytes.Contains(data, []byte("com.apple.developer.app-groups")) {
		t.Error("the link's target was not fixed")
	}
}

func TestFixNeverLosesTheOriginal(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores directory permissions; simulate the failure instead
		// by making the target a directory entry that cannot be renamed over.
		t.Log("running as root: using a non-writable parent via a missing directory")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "App.entitlements")
	copyFile(t, "../testdata/examples/Broken.entitlements", file, 0o644)
	orig, _ := os.ReadFile(file)
	// writeAtomic refuses when the file changed since it was read.
	err := writeAtomic(file, []byte("something else"), []byte("new"))
	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("want a changed-file error, got %v", err)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, orig) {
		t.Error("the original was modified")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// A failing write (the directory vanished) reports an error and leaves nothing.
	gone := filepath.Join(dir, "missing", "App.entitlements")
	if err := writeAtomic(gone, nil, []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestFixRefusesUnparsableAndBinary(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.entitlements")
	src := "<plist version=\"1.0\"><dict><!-- a -- b --><key>com.apple.developer.app-groups</key><array/>"
	os.WriteFile(broken, []byte(src), 0o644)
	_, errOut, _ := run(t, "", "fix", broken)
	if now, _ := os.ReadFile(broken); string(now) != src {
		t.Error("an unparsable file was modified")
	}
	if !strings.Contains(errOut, "does not parse") {
		t.Errorf("stderr %q", errOut)
	}

	bin := filepath.Join(dir, "bin.entitlements")
	data, _ := plist.Marshal(map[string]any{"com.apple.developer.app-groups": []string{"group.a"}}, plist.BinaryFormat)
	os.WriteFile(bin, data, 0o644)
	_, errOut, _ = run(t, "", "fix", bin)
	if now, _ := os.ReadFile(bin); !bytes.Equal(now, data) {
		t.Error("a binary plist was modified")
	}
	if !strings.Contains(errOut, "binary") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestInfoCommands(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"rules"}, []string{"hallucinated-key", "error", "unknown-key", "warning"}},
		{[]string{"explain", "duplicate-key"}, []string{"duplicate-key (default: error)", "Bad:", "Good:", "docs/rules.md#duplicate-key"}},
		{[]string{"explain", "com.apple.security.application-groups"}, []string{"Type:", "array of strings", "Platforms:", "macOS", "Docs:", "https://developer.apple.com/"}},
		{[]string{"explain", "com.apple.developer.app-groups"}, []string{"not an entitlement", "com.apple.security.application-groups"}},
		{[]string{"explain", "com.apple.private.foo"}, []string{"private to Apple"}},
		{[]string{"explain", "NSCameraUsageDescription"}, []string{"Info.plist key"}},
		{[]string{"catalog"}, []string{"entitlint catalog", "entitlement keys", "known hallucinations"}},
		{[]string{"version"}, []string{"entitlint "}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := run(t, "", tt.args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	_, errOut, code := run(t, "", "explain", "com.apple.security.aplication-groups")
	if code != ExitUsage || !strings.Contains(errOut, "did you mean: com.apple.security.application-groups") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	out, _, code := run(t, "", "catalog", "--json")
	var dump map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &dump) != nil || dump["keys"] == nil {
		t.Errorf("catalog --json: exit %d, not a catalog dump", code)
	}
}

// Every file entitlint ships as an example parses, and the never-crash
// promise holds for hostile input through the CLI.
func TestHostileInput(t *testing.T) {
	dir := t.TempDir()
	inputs := map[string][]byte{
		"random":   bytes.Repeat([]byte{0xff, 0x00, '<', '&', 0xfe}, 2000),
		"deep":     []byte(strings.Repeat("<array>", 100000)),
		"utf16":    {0xff, 0xfe, '<', 0, 'p', 0},
		"empty":    {},
		"entities": []byte(`<!DOCTYPE plist [<!ENTITY a "&b;&b;"><!ENTITY b "xxxxxxxx">]><plist><dict><key>&a;</key><true/></dict></plist>`),
		"external": []byte(`<!DOCTYPE plist [<!ENTITY x SYSTEM "file:///etc/passwd">]><plist><dict><key>&x;</key><true/></dict></plist>`),
	}
	for name, data := range inputs {
		p := filepath.Join(dir, name+".entitlements")
		os.WriteFile(p, data, 0o644)
		out, errOut, code := run(t, "", "check", "--format", "json", p)
		if code != ExitOK && code != ExitFindings {
			t.Errorf("%s: exit %d, stderr %s", name, code, errOut)
		}
		if strings.Contains(out, "root:") {
			t.Errorf("%s: external entity was read", name)
		}
	}
}

// A company-private key added through an extra catalog is known; without it
// the key is unknown.
func TestExtraCatalog(t *testing.T) {
	dir := t.TempDir()
	extra := filepath.Join(dir, "company.json")
	os.WriteFile(extra, []byte(`{"keys": [{"key": "com.example.feature", "title": "Feature", "type": "boolean",
		"platforms": {"ios": {"since": "16.0"}}, "restriction": "profile", "docURL": "https://wiki.example.com/feature",
		"summary": "Our internal feature flag.", "addedIn": "1.0.0", "source": "inferred"}]}`), 0o644)
	file := filepath.Join(dir, "App.entitlements")
	os.WriteFile(file, []byte(`<plist version="1.0"><dict><key>com.example.feature</key><true/></dict></plist>`), 0o644)
	if out, _, code := run(t, "", "check", "--fail-on", "hint", file); code != ExitFindings || !strings.Contains(out, "unknown-key") {
		t.Errorf("without the catalog: exit %d\n%s", code, out)
	}
	if out, _, code := run(t, "", "check", "--fail-on", "hint", "--catalog", extra, file); code != ExitOK {
		t.Errorf("with the catalog: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, ".entitlint.json"), []byte(`{"catalogs": ["company.json"]}`), 0o644)
	if out, _, code := run(t, "", "check", "--fail-on", "hint", file); code != ExitOK {
		t.Errorf("with the catalog from the config: exit %d\n%s", code, out)
	}
	os.WriteFile(extra, []byte(`{"keys": [{"key": 1}]}`), 0o644)
	if _, errOut, code := run(t, "", "check", file); code != ExitUsage || !strings.Contains(errOut, "company.json:1:") {
		t.Errorf("malformed catalog: exit %d, stderr %q", code, errOut)
	}
}

// TestCheckOneWorkerSameAsEachAlone: with one worker, every file of the
// corpus is parsed in the memory of the previous file's tree; the findings
// must be what checking each file on its own gives.
func TestCheckOneWorkerSameAsEachAlone(t *testing.T) {
	dir := filepath.Join("..", "testdata", "corpus")
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".entitlements") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) < 50 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	byFile := func(out string) map[string][]string {
		var report struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &report); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		m := map[string][]string{}
		for _, f := range report.Findings {
			var where struct{ File string }
			if err := json.Unmarshal(f, &where); err != nil {
				t.Fatal(err)
			}
			m[where.File] = append(m[where.File], string(f))
		}
		return m
	}
	together, _, _ := run(t, "", append([]string{"check", "--format", "json", "--jobs", "1"}, files...)...)
	all := byFile(together)
	if len(all) < 50 {
		t.Fatalf("findings for only %d files", len(all))
	}
	for _, f := range files {
		alone, _, _ := run(t, "", "check", "--format", "json", f)
		if got, want := all[f], byFile(alone)[f]; strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s checked after other files:\n%s\nchecked alone:\n%s", f, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
