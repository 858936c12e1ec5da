package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/profile"
	"github.com/entitlint/entitlint/rules"
)

// resolved is the configuration in force for a document.
type resolved struct {
	cfg  *config.Config
	opts rules.Options
}

// Configuration layers set by the client, lowest precedence first.
const (
	layerInit     = iota // initializationOptions
	layerSettings        // workspace/didChangeConfiguration
	numLayers
)

var layerSources = [numLayers]string{"initializationOptions", "LSP settings"}

// configStore resolves a document's configuration the way the CLI does: the
// nearest .entitlint.json above the document, with the client's layers on
// top. Workspace files are cached per directory. A bad file or bad settings
// are reported once and the last good version stays in force.
type configStore struct {
	mu      sync.Mutex
	root    string // workspace folder, for documents without a path
	layers  [numLayers]*config.Config
	dirs    map[string]*dirConfig
	shown   map[string]bool // errors reported since the last change
	showErr func(msg string)
	log     *zap.Logger
	auto    autoProfile // the workspace's only provisioning profile, if any
}

// autoProfile is the result of looking for provisioning profiles in the
// workspace folder, cached until a config or profile file changes.
type autoProfile struct {
	done bool
	pr   *profile.Profile // nil: none, several, or unreadable
}

type dirConfig struct {
	file  *config.Config // last good workspace file (nil: none found)
	res   *resolved
	valid bool
}

func newConfigStore(showErr func(string)) *configStore {
	return &configStore{dirs: map[string]*dirConfig{}, shown: map[string]bool{}, showErr: showErr, log: zap.NewNop()}
}

func (c *configStore) setRoot(dir string) {
	c.mu.Lock()
	c.root = dir
	c.invalidateLocked()
	c.mu.Unlock()
}

// setLayer parses a client settings object; on error the previous layer
// stays. It reports whether the configuration changed.
func (c *configStore) setLayer(layer int, data []byte) bool {
	// Neovim sends an empty Lua table as [] rather than {}.
	if t := bytes.TrimSpace(data); bytes.Equal(t, []byte("[]")) {
		data = []byte("{}")
	}
	cfg, err := config.Parse(data, layerSources[layer])
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.report("entitlint: " + err.Error() + " (keeping the previous settings)")
		return false
	}
	// Relative catalog paths in editor settings mean the workspace, not
	// the server's working directory.
	if cfg.Dir == "" {
		cfg.Dir = c.root
	}
	c.layers[layer] = cfg
	c.invalidateLocked()
	return true
}

// invalidate forgets every cached resolution; workspace files are re-read
// on next use.
func (c *configStore) invalidate() {
	c.mu.Lock()
	c.invalidateLocked()
	c.mu.Unlock()
}

func (c *configStore) invalidateLocked() {
	for _, d := range c.dirs {
		d.valid = false
	}
	c.shown = map[string]bool{}
	c.auto = autoProfile{}
}

// report shows an error once per configuration change.
func (c *configStore) report(msg string) {
	if c.shown[msg] {
		return
	}
	c.shown[msg] = true
	if c.showErr != nil {
		// Outside the lock's critical work but still under it: showErr only
		// writes a notification.
		c.showErr(msg)
	}
}

// forURI returns the configuration for a document.
func (c *configStore) forURI(uri string) *resolved {
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := c.root
	if p, ok := uriPath(uri); ok {
		dir = filepath.Dir(p)
	}
	d := c.dirs[dir]
	if d == nil {
		d = &dirConfig{}
		c.dirs[dir] = d
	}
	if d.valid {
		return d.res
	}
	if dir != "" {
		if p := config.Find(dir); p == "" {
			d.file = nil
		} else if f, err := config.Load(p); err != nil {
			c.report("entitlint: " + err.Error() + " (using the last good configuration)")
		} else {
			d.file = f
		}
	}
	merged := d.file
	for i, l := range c.layers {
		// Clients send their complete settings with didChangeConfiguration,
		// so once they have, those replace initializationOptions instead of
		// adding to them (otherwise a cleared setting could never go away).
		if i == layerInit && c.layers[layerSettings] != nil {
			continue
		}
		merged = config.Merge(merged, l)
	}
	if merged == nil {
		merged = &config.Config{}
	}
	opts, err := merged.Options()
	if err != nil {
		// Only loading extra catalogs fails: keep the last good catalog.
		c.report("entitlint: " + err.Error())
		opts = rules.Options{Targets: merged.Targets(), Severity: merged.Severities(), MaxFileSize: merged.Limit()}
		if d.res != nil {
			opts.Catalog = d.res.opts.Catalog
		}
	}
	if merged.Profile == "" && opts.Profile == nil && c.inWorkspace(uri) {
		// No profile named: the workspace's only one, if it has exactly one.
		opts.Profile = c.workspaceProfileLocked()
	}
	d.res = &resolved{cfg: merged, opts: opts}
	d.valid = true
	return d.res
}

// inWorkspace reports whether a document lies in the workspace folder (or
// has no path, like untitled: documents).
func (c *configStore) inWorkspace(uri string) bool {
	if c.root == "" {
		return false
	}
	p, ok := uriPath(uri)
	if !ok {
		return true
	}
	rel, err := filepath.Rel(c.root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// workspaceProfileLocked finds the workspace's provisioning profiles once
// per configuration change and returns the only one, or nil when there are
// none or several (users then name one in .entitlint.json "profile").
func (c *configStore) workspaceProfileLocked() *profile.Profile {
	if c.auto.done {
		return c.auto.pr
	}
	c.auto = autoProfile{done: true}
	found, complete := findProfiles(c.root)
	if !complete {
		c.log.Info("stopped looking for provisioning profiles in the workspace after visiting the maximum number of entries",
			zap.String("root", c.root), zap.Int("maxEntries", profileSearchMaxEntries))
	}
	switch len(found) {
	case 0:
		c.log.Debug("no provisioning profile in the workspace", zap.String("root", c.root))
	case 1:
		pr, err := config.LoadProfile(found[0])
		if err != nil {
			c.log.Warn("the workspace's provisioning profile is unreadable; profile checks are off", zap.Error(err))
			return nil
		}
		c.log.Info("using the workspace's only provisioning profile", zap.String("path", found[0]), zap.String("name", pr.Name))
		c.auto.pr = pr
	default:
		c.log.Info("several provisioning profiles in the workspace: none is used; name one in "+config.FileName+` ("profile")`,
			zap.Strings("paths", found))
	}
	return c.auto.pr
}

// Bounds of the search for provisioning profiles in the workspace.
const (
	profileSearchMaxDepth   = 4    // directories below the workspace folder
	profileSearchMaxEntries = 5000 // files and directories visited
)

// profileSearchSkip are directories that hold build products, dependencies
// or version control data, never the profile a developer means.
var profileSearchSkip = map[string]bool{
	".git": true, "node_modules": true, "DerivedData": true, "build": true, "Pods": true, ".build": true,
}

// findProfiles returns the *.mobileprovision and *.provisionprofile files in
// root, in a bounded walk: at most profileSearchMaxDepth levels of
// directories and profileSearchMaxEntries entries, skipping
// profileSearchSkip and built bundles (whose embedded profile belongs to
// the product). complete is false when the entry bound stopped the walk.
func findProfiles(root string) (found []string, complete bool) {
	complete = true
	visited := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return filepath.SkipDir
			}
			return nil
		}
		if visited++; visited > profileSearchMaxEntries {
			complete = false
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			if p == root {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			if profileSearchSkip[name] || isBundleDir(name) || strings.Count(rel, string(filepath.Separator)) >= profileSearchMaxDepth {
				return filepath.SkipDir
			}
			return nil
		}
		if isProfileName(name) && d.Type().IsRegular() {
			found = append(found, p)
		}
		return nil
	})
	return found, complete
}

func isBundleDir(name string) bool {
	switch filepath.Ext(name) {
	case ".app", ".appex", ".xcarchive", ".framework", ".systemextension", ".xpc":
		return true
	}
	return false
}

func isProfileName(name string) bool {
	return strings.HasSuffix(name, ".mobileprovision") || strings.HasSuffix(name, ".provisionprofile")
}

// DidChangeConfiguration takes the new settings (plain or wrapped in
// {"entitlint": …}) and re-checks every open document.
func (s *server) DidChangeConfiguration(_ context.Context, params *protocol.DidChangeConfigurationParams) error {
	settings := params.Settings
	// Clients that send all their settings at once put ours under
	// "entitlint" next to other tools' sections.
	if m, ok := settings.(map[string]any); ok {
		if ours, ok := m["entitlint"]; ok {
			settings = ours
		}
	}
	data, err := json.Marshal(settings)
	if err != nil {
		return err
	}
	if s.configs.setLayer(layerSettings, data) {
		s.reconfigureAll()
	}
	return nil
}

// DidChangeWatchedFiles re-reads workspace config files and looks for
// provisioning profiles again when one of them changed (was created,
// edited or deleted).
func (s *server) DidChangeWatchedFiles(_ context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	for _, ev := range params.Changes {
		if ev != nil && (isConfigURI(string(ev.URI)) || isProfileURI(string(ev.URI))) {
			s.log.Info("workspace config or provisioning profile changed", zap.String("uri", string(ev.URI)))
			s.configs.invalidate()
			s.reconfigureAll()
			return nil
		}
	}
	return nil
}

// DidSave re-reads workspace config files when the saved document is one
// (for clients that do not watch files).
func (s *server) DidSave(_ context.Context, params *protocol.DidSaveTextDocumentParams) error {
	if uri := string(params.TextDocument.URI); isConfigURI(uri) || isProfileURI(uri) {
		s.configs.invalidate()
		s.reconfigureAll()
	}
	return nil
}

func isConfigURI(uri string) bool {
	return path.Base(uri) == config.FileName
}

func isProfileURI(uri string) bool { return isProfileName(path.Base(uri)) }
