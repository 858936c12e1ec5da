package lsp

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/version"
)

// lifecycleState follows the LSP lifecycle: requests before initialize
// fail with ServerNotInitialized, requests after shutdown with
// InvalidRequest.
type lifecycleState int32

const (
	stateNew lifecycleState = iota
	stateRunning
	stateShutdown
)

func (st lifecycleState) String() string {
	switch st {
	case stateNew:
		return "new"
	case stateRunning:
		return "running"
	}
	return "shutdown"
}

// fixAllKind is the code action kind of "apply every safe fix".
const fixAllKind protocol.CodeActionKind = "source.fixAll.entitlint"

// server implements protocol.Server; nyi answers the methods it does not
// support.
type server struct {
	nyi

	ctx        context.Context // the connection's lifetime
	conn       jsonrpc2.Conn
	client     protocol.Client
	log        *zap.Logger
	hooks      hooks
	dispatcher jsonrpc2.Handler
	stream     *stream

	state    atomic.Int32
	exited   chan struct{}
	exitOnce sync.Once
	inflight inflight

	caps    clientCaps // written by Initialize, read-only afterwards
	docs    documents
	configs *configStore
	gc      *gcTuner // nil: the runtime's defaults
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	snippets            bool // completion items may be snippets
	markdownHover       bool
	markdownCompletion  bool
	hierarchicalSymbols bool
	watchRegistration   bool // may register a watcher for .entitlint.json
}

func newServer(ctx context.Context, conn jsonrpc2.Conn, client protocol.Client, log *zap.Logger, h hooks) *server {
	s := &server{ctx: ctx, conn: conn, client: client, log: log, hooks: h, exited: make(chan struct{})}
	s.dispatcher = protocol.ServerHandler(s, nil)
	s.docs.m = map[string]*document{}
	s.configs = newConfigStore(s.showError)
	if log != nil {
		s.configs.log = log
	}
	return s
}

func (s *server) lifecycle() lifecycleState      { return lifecycleState(s.state.Load()) }
func (s *server) setLifecycle(st lifecycleState) { s.state.Store(int32(st)) }
func (s *server) casLifecycle(from, to lifecycleState) bool {
	return s.state.CompareAndSwap(int32(from), int32(to))
}

// Initialize records the client's capabilities and settings and answers
// with ours.
func (s *server) Initialize(_ context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	if !s.casLifecycle(stateNew, stateRunning) {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
	}
	s.caps = readClientCaps(&params.Capabilities)
	s.configs.setRoot(rootDir(params))
	if params.InitializationOptions != nil {
		if data, err := json.Marshal(params.InitializationOptions); err == nil {
			s.configs.setLayer(layerInit, data)
		}
	}
	if info := params.ClientInfo; info != nil {
		s.log.Info("initialize", zap.String("client", info.Name), zap.String("clientVersion", info.Version))
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: true,
				// Incremental: a keystroke sends the edit, not the document
				// (see textsync.go).
				Change: protocol.TextDocumentSyncKindIncremental,
				Save:   &protocol.SaveOptions{},
			},
			HoverProvider: true,
			CompletionProvider: &protocol.CompletionOptions{
				// '<' starts a value element; '.' continues a key.
				TriggerCharacters: []string{"<", "."},
			},
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, fixAllKind},
			},
			DocumentSymbolProvider: true,
			FoldingRangeProvider:   true,
		},
		ServerInfo: &protocol.ServerInfo{Name: "entitlint", Version: serverVersion()},
	}, nil
}

func serverVersion() string {
	v := version.Version
	if cv := catalogVersion(); cv != "" {
		v += " (catalog " + cv + ")"
	}
	return v
}

func readClientCaps(c *protocol.ClientCapabilities) clientCaps {
	var out clientCaps
	if td := c.TextDocument; td != nil {
		if comp := td.Completion; comp != nil && comp.CompletionItem != nil {
			out.snippets = comp.CompletionItem.SnippetSupport
			out.markdownCompletion = hasMarkdown(comp.CompletionItem.DocumentationFormat)
		}
		if h := td.Hover; h != nil {
			out.markdownHover = hasMarkdown(h.ContentFormat)
		}
		if ds := td.DocumentSymbol; ds != nil {
			out.hierarchicalSymbols = ds.HierarchicalDocumentSymbolSupport
		}
	}
	if ws := c.Workspace; ws != nil && ws.DidChangeWatchedFiles != nil {
		out.watchRegistration = ws.DidChangeWatchedFiles.DynamicRegistration
	}
	return out
}

// hasMarkdown: an absent list means the client did not say, and every
// client in use renders Markdown.
func hasMarkdown(kinds []protocol.MarkupKind) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, k := range kinds {
		if k == protocol.Markdown {
			return true
		}
	}
	return false
}

// rootDir is the workspace folder whose .entitlint.json applies to
// documents without a file path (untitled:).
func rootDir(p *protocol.InitializeParams) string {
	for _, f := range p.WorkspaceFolders {
		if dir, ok := uriPath(f.URI); ok {
			return dir
		}
	}
	// Older clients send only the deprecated rootUri or rootPath.
	//lint:ignore SA1019 fallback for clients without workspace folders
	if dir, ok := uriPath(string(p.RootURI)); ok {
		return dir
	}
	//lint:ignore SA1019 fallback for clients without workspace folders
	return p.RootPath
}

// Initialized asks the client to watch .entitlint.json files and
// provisioning profiles, so that edits made outside the editor re-check
// open documents.
func (s *server) Initialized(context.Context, *protocol.InitializedParams) error {
	if !s.caps.watchRegistration {
		return nil
	}
	// A request to the client: it must not run on the read loop, which is
	// the only reader of the reply.
	go func() {
		err := s.client.RegisterCapability(s.ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:     "entitlint-config-watcher",
			Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{
				Watchers: []protocol.FileSystemWatcher{{GlobPattern: "**/" + config.FileName},
					{GlobPattern: "**/*.mobileprovision"}, {GlobPattern: "**/*.provisionprofile"}},
			},
		}}})
		if err != nil {
			s.log.Info("client refused the config file watcher", zap.Error(err))
		}
	}()
	return nil
}

// showError tells the user about a problem they must fix (a bad config).
func (s *server) showError(msg string) {
	s.log.Warn(msg)
	if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg}); err != nil {
		s.log.Warn("showMessage not sent", zap.Error(err))
	}
}
