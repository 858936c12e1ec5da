package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"path"
	"path/filepath"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/config"
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
}

type dirConfig struct {
	file  *config.Config // last good workspace file (nil: none found)
	res   *resolved
	valid bool
}

func newConfigStore(showErr func(string)) *configStore {
	return &configStore{dirs: map[string]*dirConfig{}, shown: map[string]bool{}, showErr: showErr}
}

func (c *configStore) setRoot(dir string) {
	c.mu.Lock()
	c.root = dir
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
	d.res = &resolved{cfg: merged, opts: opts}
	d.valid = true
	return d.res
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

// DidChangeWatchedFiles re-reads workspace config files when one changed.
func (s *server) DidChangeWatchedFiles(_ context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	for _, ev := range params.Changes {
		if ev != nil && isConfigURI(string(ev.URI)) {
			s.log.Info("workspace config changed", zap.String("uri", string(ev.URI)))
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
	if isConfigURI(string(params.TextDocument.URI)) {
		s.configs.invalidate()
		s.reconfigureAll()
	}
	return nil
}

func isConfigURI(uri string) bool {
	return path.Base(uri) == config.FileName
}
