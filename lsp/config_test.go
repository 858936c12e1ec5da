package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// optsMessage waits for a publish whose fake-opts diagnostic says want.
func (c *testClient) waitOpts(uri, want string) {
	c.t.Helper()
	c.waitPublish(uri, func(p publishParams) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "fake-opts" && d.Message == want {
				return true
			}
		}
		return false
	})
}

func (c *testClient) errorMessages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, m := range c.messages {
		if m.Type == protocol.MessageTypeError {
			out = append(out, m.Message)
		}
	}
	return out
}

func (c *testClient) setSettings(settings any) {
	c.t.Helper()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: settings})
}

// TestSettings: initializationOptions, then settings (wrapped or not),
// each change re-checking every open document; bad settings are reported
// once and the last good ones stay.
func TestSettings(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		InitializationOptions: map[string]any{"entitlint": map[string]any{"platforms": []string{"ios"}}}})
	a, b := "file:///tmp/set-a.entitlements", "untitled:b"
	c.open(a, "OPTS", 1)
	c.open(b, "OPTS", 1)
	c.waitOpts(a, "platforms=ios distribution=")
	c.waitOpts(b, "platforms=ios distribution=")

	// Settings replace initializationOptions: clients send all of theirs
	// each time, and a setting they clear must go away.
	c.setSettings(map[string]any{"distribution": "app-store"})
	c.waitOpts(a, "platforms= distribution=app-store")
	c.waitOpts(b, "platforms= distribution=app-store")

	c.setSettings(map[string]any{"entitlint": map[string]any{"platforms": []string{"macos"}, "distribution": "developer-id"},
		"otherTool": map[string]any{"x": 1}})
	c.waitOpts(a, "platforms=macos distribution=developer-id")
	c.waitOpts(b, "platforms=macos distribution=developer-id")

	// Bad settings: one error message, nothing re-published, old settings kept.
	before := len(c.publishesFor(a))
	c.setSettings(map[string]any{"platforms": []string{"amiga"}})
	c.waitFor("an error message", func() bool { return len(c.messages) > 0 })
	if msgs := c.errorMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "amiga") {
		t.Errorf("error messages = %q", msgs)
	}
	c.change(a, "OPTS ", 2)
	c.waitVersion(a, 2)
	c.waitOpts(a, "platforms=macos distribution=developer-id")
	if n := len(c.publishesFor(a)); n != before+1 {
		t.Errorf("bad settings re-published: %d publishes, want %d", n, before+1)
	}

	// Null or empty settings (Neovim sends {} after initialize) reset the
	// settings layer only: initializationOptions apply again.
	c.setSettings(nil)
	c.waitOpts(a, "platforms=ios distribution=")
	c.setSettings(map[string]any{"distribution": "ad-hoc"})
	c.waitOpts(a, "platforms= distribution=ad-hoc")
	c.setSettings([]any{}) // an empty Lua table
	c.waitOpts(a, "platforms=ios distribution=")
	if msgs := c.errorMessages(); len(msgs) != 1 {
		t.Errorf("error messages = %q", msgs)
	}
}

// TestWorkspaceConfigFile: the nearest .entitlint.json applies, as in the
// CLI; a change to it (watched-files event or save) re-checks open
// documents, and a broken one is reported once while the last good one
// stays in force.
func TestWorkspaceConfigFile(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "App", "Sub dir")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(root, ".entitlint.json")
	writeFile(t, cfgPath, `{"platforms": ["macos"]}`)
	uri := "file://" + filepath.ToSlash(sub) + "/App.entitlements"
	uri = strings.ReplaceAll(uri, " ", "%20")

	caps := clientCapabilities()
	caps.Workspace = &protocol.WorkspaceClientCapabilities{
		DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesWorkspaceClientCapabilities{DynamicRegistration: true}}
	c := startServer(t, hooks{})
	c.initialize(&protocol.InitializeParams{Capabilities: caps,
		WorkspaceFolders: []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "root"}}})
	c.waitFor("the config watcher registration", func() bool {
		for _, m := range c.requests {
			if m == protocol.MethodClientRegisterCapability {
				return true
			}
		}
		return false
	})

	c.open(uri, "OPTS", 1)
	c.waitOpts(uri, "platforms=macos distribution=")
	// Client settings win over the file.
	c.setSettings(map[string]any{"distribution": "app-store"})
	c.waitOpts(uri, "platforms=macos distribution=app-store")

	changed := func() {
		c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{
			{Type: protocol.FileChangeTypeChanged, URI: protocol.DocumentURI(fileURI(cfgPath))}}})
	}
	writeFile(t, cfgPath, `{"platforms": ["tvos"]}`)
	changed()
	c.waitOpts(uri, "platforms=tvos distribution=app-store")

	writeFile(t, cfgPath, `{"platforms": ["tvos"], "rules": {"no-such-rule": "off"}}`)
	changed()
	c.waitFor("an error message", func() bool { return len(c.messages) > 0 })
	msgs := c.errorMessages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "no-such-rule") || !strings.Contains(msgs[0], cfgPath) {
		t.Errorf("error messages = %q", msgs)
	}
	c.change(uri, "OPTS ", 2)
	c.waitVersion(uri, 2)
	c.waitOpts(uri, "platforms=tvos distribution=app-store") // last good file
	if msgs := c.errorMessages(); len(msgs) != 1 {
		t.Errorf("the same error was shown %d times", len(msgs))
	}

	// A save of the config file, for clients without file watching.
	writeFile(t, cfgPath, `{"platforms": ["watchos"]}`)
	c.notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(fileURI(cfgPath))}})
	c.waitOpts(uri, "platforms=watchos distribution=app-store")

	// A closer config file takes over once it exists.
	writeFile(t, filepath.Join(sub, ".entitlint.json"), `{"distribution": "ad-hoc"}`)
	changed()
	c.waitOpts(uri, "platforms= distribution=app-store")
}

// TestExtraCatalog: a catalog file named in the settings, relative to the
// workspace folder, is used by the rules and by hovers alike; a broken one
// is reported and the last good catalog stays.
func TestExtraCatalog(t *testing.T) {
	requireParser(t)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "company.json"), `{"hallucinations": [{"key": "com.example.made-up", "kind": "remove",
		"reason": "Our build scripts used to add it; nothing reads it.", "source": "test", "addedIn": "1.0.1"}]}`)
	c := startServer(t, hooks{run: realRules})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		WorkspaceFolders:      []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "root"}},
		InitializationOptions: map[string]any{"catalogs": []string{"company.json"}}})
	text := "<plist version=\"1.0\">\n<dict>\n\t<key>com.example.made-up</key>\n\t<true/>\n</dict>\n</plist>\n"
	uri := fileURI(filepath.Join(root, "App.entitlements"))
	c.open(uri, text, 1)
	if d := c.waitVersion(uri, 1); len(d) != 1 || d[0].Code != "hallucinated-key" {
		t.Fatalf("diagnostics with the extra catalog = %+v", d)
	}
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, hoverParams(uri, 2, 8), &h)
	if h == nil || !strings.Contains(h.Contents.Value, "Our build scripts used to add it") {
		t.Errorf("hover does not use the extra catalog: %+v", h)
	}

	writeFile(t, filepath.Join(root, "broken.json"), `{"hallucinations": [{"key": 1}]}`)
	c.setSettings(map[string]any{"catalogs": []string{"broken.json"}})
	c.waitFor("an error message", func() bool { return len(c.messages) > 0 })
	if msgs := c.errorMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "broken.json") {
		t.Errorf("error messages = %q", msgs)
	}
	c.change(uri, text+" ", 2)
	if d := c.waitVersion(uri, 2); len(d) != 1 || d[0].Code != "hallucinated-key" {
		t.Errorf("the last good catalog was not kept: %+v", d)
	}
}

func TestURIPath(t *testing.T) {
	tests := []struct {
		uri  string
		path string
		ok   bool
	}{
		{"file:///tmp/a.entitlements", "/tmp/a.entitlements", true},
		{"file:///tmp/with%20space/%E6%97%A5.entitlements", "/tmp/with space/日.entitlements", true},
		{"untitled:Untitled-1", "", false},
		{"git:/x/y.entitlements", "", false},
		{"file://", "", false},
		{"%%%", "", false},
	}
	for _, tt := range tests {
		p, ok := uriPath(tt.uri)
		if p != filepath.FromSlash(tt.path) || ok != tt.ok {
			t.Errorf("uriPath(%q) = %q, %v", tt.uri, p, ok)
		}
	}
}
