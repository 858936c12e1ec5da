package lsp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/profile/profiletest"
	"github.com/entitlint/entitlint/rules"
)

// profileDoc claims HealthKit, push and an app group.
const profileDoc = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>com.apple.developer.healthkit</key>
	<true/>
	<key>aps-environment</key>
	<string>development</string>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.com.example.other</string>
	</array>
</dict>
</plist>
`

// Positions of the keys in profileDoc (0-based line, a character inside).
var (
	posHealthKit = [2]uint32{3, 10}
	posPush      = [2]uint32{5, 10}
	posGroupItem = [2]uint32{9, 14}
)

// profileSpec is an iOS development profile named name, with extra
// entitlements.
func profileSpec(name string, extra map[string]any) profiletest.Spec {
	s := profiletest.IOSDevelopment("ABCDE12345", "com.example.app", time.Now().AddDate(0, -1, 0), extra)
	s.Name = name
	return s
}

// profileDiags returns "rule: message" for the profile-* diagnostics.
func profileDiags(diags []protocol.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if code, _ := d.Code.(string); strings.HasPrefix(code, "profile-") {
			out = append(out, code+": "+d.Message)
		}
	}
	return out
}

// waitProfileDiags waits for a publish whose profile diagnostics satisfy pred.
func (c *testClient) waitProfileDiags(uri, what string, pred func(diags []string) bool) []string {
	c.t.Helper()
	var got []string
	c.waitFor(what, func() bool {
		for i := len(c.publishes) - 1; i >= 0; i-- {
			if p := c.publishes[i]; string(p.URI) == uri {
				got = profileDiags(p.Diagnostics)
				return pred(got)
			}
		}
		return false
	})
	return got
}

func (c *testClient) hoverText(uri string, pos [2]uint32) string {
	c.t.Helper()
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, hoverParams(uri, pos[0], pos[1]), &h)
	if h == nil {
		c.t.Fatalf("no hover at %v", pos)
	}
	return h.Contents.Value
}

func profilesChanged(c *testClient, paths ...string) {
	var evs []*protocol.FileEvent
	for _, p := range paths {
		evs = append(evs, &protocol.FileEvent{Type: protocol.FileChangeTypeCreated, URI: protocol.DocumentURI(fileURI(p))})
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: evs})
}

// TestWorkspaceProfile: the only profile in the workspace is used without
// being named; a second one makes it ambiguous and none is used; a profile
// named in .entitlint.json wins; hovers say what the profile authorises.
func TestWorkspaceProfile(t *testing.T) {
	requireParser(t)
	root := t.TempDir()
	signing := filepath.Join(root, "Signing")
	if err := os.MkdirAll(signing, 0o755); err != nil {
		t.Fatal(err)
	}
	// A is missing HealthKit and the app group; B has HealthKit and
	// another app group.
	profiletest.Write(t, signing, "A.mobileprovision", profileSpec("Profile A", map[string]any{"aps-environment": "development"}))
	docPath := filepath.Join(root, "App", "App.entitlements")
	mkFile(t, docPath, profileDoc)
	uri := fileURI(docPath)

	caps := clientCapabilities()
	caps.Workspace = &protocol.WorkspaceClientCapabilities{
		DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesWorkspaceClientCapabilities{DynamicRegistration: true}}
	c := startServer(t, hooks{run: realRules})
	c.initialize(&protocol.InitializeParams{Capabilities: caps,
		WorkspaceFolders: []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "root"}}})
	c.open(uri, profileDoc, 1)
	got := c.waitProfileDiags(uri, "Profile A's diagnostics", func(d []string) bool { return len(d) > 0 })
	if len(got) != 2 || !strings.Contains(got[0], `profile-missing-entitlement: Provisioning profile "Profile A" doesn't include the com.apple.developer.healthkit entitlement`) ||
		!strings.Contains(got[1], "profile-missing-entitlement") || !strings.Contains(got[1], "com.apple.security.application-groups") {
		t.Errorf("with the only profile:\n%s", strings.Join(got, "\n"))
	}
	if !strings.Contains(c.logs.String(), "using the workspace's only provisioning profile") || !strings.Contains(c.logs.String(), "A.mobileprovision") {
		t.Errorf("the log does not say which profile is used:\n%s", c.logs.String())
	}
	if h := c.hoverText(uri, posHealthKit); !strings.Contains(h, `✗ not in profile "Profile A"`) {
		t.Errorf("hover on a key the profile lacks:\n%s", h)
	}
	exp := time.Now().AddDate(0, -1, 0).AddDate(1, 0, 0).UTC().Format("2006-01-02")
	if h := c.hoverText(uri, posPush); !strings.Contains(h, `✓ authorised by profile "Profile A" (expires `+exp+`)`) ||
		strings.Index(h, "✓ authorised") > strings.Index(h, "entitlint catalog") {
		t.Errorf("hover on an authorised key:\n%s", h)
	}

	// The watcher covers profiles.
	c.waitFor("the watcher registration", func() bool { return len(c.requests) > 0 })

	// A second profile: ambiguous, none is used.
	bPath := profiletest.Write(t, signing, "B.mobileprovision", profileSpec("Profile B", map[string]any{
		"aps-environment":                       "development",
		"com.apple.developer.healthkit":         true,
		"com.apple.security.application-groups": []any{"group.com.example.shared"},
	}))
	profilesChanged(c, bPath)
	c.waitProfileDiags(uri, "no profile diagnostics", func(d []string) bool { return len(d) == 0 })
	if !strings.Contains(c.logs.String(), "several provisioning profiles in the workspace: none is used") {
		t.Errorf("the log does not say why no profile is used:\n%s", c.logs.String())
	}
	if h := c.hoverText(uri, posPush); strings.Contains(h, `profile "Profile`) {
		t.Errorf("hover mentions a profile while none is in use:\n%s", h)
	}

	// The config names B: it wins.
	cfgPath := filepath.Join(root, ".entitlint.json")
	mkFile(t, cfgPath, `{"profile": "Signing/B.mobileprovision"}`)
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{
		{Type: protocol.FileChangeTypeCreated, URI: protocol.DocumentURI(fileURI(cfgPath))}}})
	got = c.waitProfileDiags(uri, "Profile B's diagnostics", func(d []string) bool { return len(d) > 0 })
	if len(got) != 1 || !strings.Contains(got[0], `profile-value-mismatch: Provisioning profile "Profile B" doesn't match`) ||
		!strings.Contains(got[0], `"group.com.example.other" is not authorised`) {
		t.Errorf("with the named profile:\n%s", strings.Join(got, "\n"))
	}
	if h := c.hoverText(uri, posHealthKit); !strings.Contains(h, `✓ authorised by profile "Profile B"`) {
		t.Errorf("hover, named profile:\n%s", h)
	}
	if h := c.hoverText(uri, posGroupItem); !strings.Contains(h, "✗ value not covered by profile \"Profile B\": `group.com.example.other`") {
		t.Errorf("hover on a value the profile lacks:\n%s", h)
	}

	// The config names none again and A goes away: B is the only one left.
	mkFile(t, cfgPath, `{}`)
	if err := os.Remove(filepath.Join(signing, "A.mobileprovision")); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{
		{Type: protocol.FileChangeTypeDeleted, URI: protocol.DocumentURI(fileURI(filepath.Join(signing, "A.mobileprovision")))}}})
	c.change(uri, profileDoc+" ", 2)
	got = c.waitProfileDiags(uri, "Profile B, found", func(d []string) bool { return len(d) == 1 && strings.Contains(d[0], "Profile B") })
	if !strings.Contains(got[0], "profile-value-mismatch") {
		t.Errorf("after A was deleted: %q", got)
	}
}

// A document outside the workspace folder does not get its profile.
func TestWorkspaceProfileOnlyInWorkspace(t *testing.T) {
	requireParser(t)
	root, other := t.TempDir(), t.TempDir()
	profiletest.Write(t, root, "A.mobileprovision", profileSpec("Profile A", nil))
	c := startServer(t, hooks{run: realRules})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		WorkspaceFolders: []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "root"}}})
	inside, outside := fileURI(filepath.Join(root, "In.entitlements")), fileURI(filepath.Join(other, "Out.entitlements"))
	c.open(inside, profileDoc, 1)
	c.open(outside, profileDoc, 1)
	if d := profileDiags(c.waitVersion(inside, 1)); len(d) == 0 {
		t.Error("no profile diagnostics inside the workspace")
	}
	if d := profileDiags(c.waitVersion(outside, 1)); len(d) != 0 {
		t.Errorf("profile diagnostics outside the workspace: %q", d)
	}
}

func TestFindProfiles(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{
		"a.mobileprovision",
		"x/b.provisionprofile",
		"x/y/z/w/deep.mobileprovision",     // 4 levels down: found
		"x/y/z/w/v/deeper.mobileprovision", // 5 levels: not
		"build/Release/c.mobileprovision",
		"node_modules/pkg/d.mobileprovision",
		".git/e.mobileprovision",
		"DerivedData/f.mobileprovision",
		"Pods/g.mobileprovision",
		"Out/App.app/embedded.mobileprovision",
		"Out/App.xcarchive/Products/h.mobileprovision",
		"notes.txt",
	} {
		mkFile(t, filepath.Join(root, filepath.FromSlash(p)), "x")
	}
	if err := os.Mkdir(filepath.Join(root, "dir.mobileprovision"), 0o755); err != nil {
		t.Fatal(err)
	}
	found, complete := findProfiles(root)
	var rel []string
	for _, f := range found {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"a.mobileprovision", "x/b.provisionprofile", "x/y/z/w/deep.mobileprovision"}
	if !complete || strings.Join(rel, ",") != strings.Join(want, ",") {
		t.Errorf("found %q (complete %v), want %q", rel, complete, want)
	}

	// The entry bound: a workspace with more files than that stops early.
	big := t.TempDir()
	for i := 0; i < profileSearchMaxEntries+10; i++ {
		mkFile(t, filepath.Join(big, "f", "file"+strconv.Itoa(i)), "")
	}
	mkFile(t, filepath.Join(big, "z.mobileprovision"), "x")
	if found, complete := findProfiles(big); complete || len(found) != 0 {
		t.Errorf("past the bound: %q, complete %v", found, complete)
	}
}

// mkFile writes a file, making its directory.
func mkFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, content)
}

func TestProfileLine(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	pr := &profile.Profile{Name: "P", Platforms: []string{"OSX"}, ExpirationDate: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)}
	expired := &profile.Profile{Name: "Old", ExpirationDate: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		v    rules.ProfileVerdict
		pr   *profile.Profile
		want string
	}{
		{rules.ProfileVerdict{Status: rules.ProfileAuthorised}, pr, `✓ authorised by profile "P" (expires 2027-01-02)`},
		{rules.ProfileVerdict{Status: rules.ProfileAuthorised}, expired, `✓ authorised by profile "Old" (expired 2026-01-02)`},
		{rules.ProfileVerdict{Status: rules.ProfileAuthorised}, &profile.Profile{Name: "N"}, `✓ authorised by profile "N"`},
		{rules.ProfileVerdict{Status: rules.ProfileNotNeeded}, pr, `✓ needs no provisioning profile (profile "P" is in use)`},
		{rules.ProfileVerdict{Status: rules.ProfileUnchecked}, pr, `✓ in profile "P" (the value is not compared`},
		{rules.ProfileVerdict{Status: rules.ProfileMissing}, pr, `✗ not in profile "P"`},
		{rules.ProfileVerdict{Status: rules.ProfileValueNotCovered, Uncovered: []string{"a", "b"}}, pr, "✗ value not covered by profile \"P\": `a`, `b`"},
		{rules.ProfileVerdict{Status: rules.ProfileWrongPlatform}, pr, `✗ profile "P" is for macOS, not this file's platforms`},
		{rules.ProfileVerdict{Status: rules.ProfileNothingClaimed}, pr, `claims nothing, so profile "P" need not include it`},
		{rules.ProfileVerdict{}, pr, ""},
	} {
		got := profileLine(tt.v, tt.pr, now)
		if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := insertBeforeFooter("doc\n\n---\nfooter\n", "line"); got != "doc\n\nline\n\n---\nfooter\n" {
		t.Errorf("insertBeforeFooter = %q", got)
	}
}
