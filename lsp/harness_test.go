package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// waitTimeout bounds every wait; tests never sleep for a fixed time.
const waitTimeout = 10 * time.Second

// testClient is an in-process LSP client: a real go.lsp.dev jsonrpc2
// connection over net.Pipe, recording what the server sends.
type testClient struct {
	t        testing.TB
	conn     jsonrpc2.Conn
	serveErr chan error
	logs     *syncBuffer

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every notification
	publishes []publishParams
	messages  []protocol.ShowMessageParams
	requests  []string // methods of server→client requests
}

// syncBuffer collects the server's log; it is printed when a test fails.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs Serve on one end of a pipe and a client on the other.
func startServer(t testing.TB, h hooks) *testClient {
	t.Helper()
	if h.run == nil {
		h.run = fakeRun
	}
	c, _ := serveOnPipe(t, h, true)
	return c
}

// serveOnPipe starts Serve and a test client over net.Pipe and returns the
// client's end of the pipe too. With logged, the server logs at debug
// level, shown if the test fails (fuzz targets go without: it costs).
func serveOnPipe(t testing.TB, h hooks, logged bool) (*testClient, net.Conn) {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	logs := &syncBuffer{}
	opts := Options{hooks: h}
	if logged {
		opts.Logger = zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(logs), zap.DebugLevel))
	}
	c := &testClient{t: t, serveErr: make(chan error, 1), logs: logs, changed: make(chan struct{})}
	go func() { c.serveErr <- Serve(context.Background(), srvEnd, opts) }()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(cliEnd))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() {
		_ = c.conn.Close()
		select {
		case <-c.serveErr:
		case <-time.After(waitTimeout):
			t.Error("Serve did not return after the connection closed")
		}
		if logged && t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return c, cliEnd
}

func (c *testClient) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	c.mu.Lock()
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p publishParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad publishDiagnostics: %v", err)
		}
		c.publishes = append(c.publishes, p)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		c.messages = append(c.messages, p)
	default:
		if _, ok := req.(*jsonrpc2.Call); ok {
			c.requests = append(c.requests, req.Method())
		}
	}
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	return reply(ctx, nil, nil)
}

// waitFor waits until pred (called with c.mu held) is true.
func (c *testClient) waitFor(what string, pred func() bool) {
	c.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		c.mu.Lock()
		ok := pred()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitPublish waits for a publish for uri matching pred and returns it.
func (c *testClient) waitPublish(uri string, pred func(p publishParams) bool) publishParams {
	c.t.Helper()
	var got publishParams
	c.waitFor("diagnostics for "+uri, func() bool {
		for i := len(c.publishes) - 1; i >= 0; i-- {
			if p := c.publishes[i]; string(p.URI) == uri && pred(p) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// waitVersion waits for the publish of a document version.
func (c *testClient) waitVersion(uri string, version int32) []protocol.Diagnostic {
	c.t.Helper()
	return c.waitPublish(uri, func(p publishParams) bool { return p.Version != nil && *p.Version == version }).Diagnostics
}

func (c *testClient) publishesFor(uri string) []publishParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []publishParams
	for _, p := range c.publishes {
		if string(p.URI) == uri {
			out = append(out, p)
		}
	}
	return out
}

func (c *testClient) call(method string, params, result any) error {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *testClient) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// clientCapabilities are those of a full-featured editor.
func clientCapabilities() protocol.ClientCapabilities {
	return protocol.ClientCapabilities{
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Completion: &protocol.CompletionTextDocumentClientCapabilities{
				CompletionItem: &protocol.CompletionTextDocumentClientCapabilitiesItem{
					SnippetSupport:      true,
					DocumentationFormat: []protocol.MarkupKind{protocol.Markdown, protocol.PlainText},
				},
			},
			Hover:          &protocol.HoverTextDocumentClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.Markdown}},
			DocumentSymbol: &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: true},
		},
	}
}

// initialize runs the handshake; params may be nil.
func (c *testClient) initialize(params *protocol.InitializeParams) *protocol.InitializeResult {
	c.t.Helper()
	if params == nil {
		params = &protocol.InitializeParams{Capabilities: clientCapabilities()}
	}
	var res protocol.InitializeResult
	c.mustCall(protocol.MethodInitialize, params, &res)
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return &res
}

func (c *testClient) open(uri, text string, version int32) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: protocol.DocumentURI(uri), LanguageID: "xml", Version: version, Text: text}})
}

func (c *testClient) change(uri, text string, version int32) {
	c.t.Helper()
	c.edit(uri, version, changeEvent{Text: text})
}

// edit sends a didChange with the given content changes (changeEvent: a
// protocol.TextDocumentContentChangeEvent whose range can be left out).
func (c *testClient) edit(uri string, version int32, changes ...changeEvent) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, &didChangeParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}, Version: version},
		ContentChanges: changes,
	})
}

// rpcCode extracts the JSON-RPC error code of a failed call.
func rpcCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// fakeRun stands in for the rules so the tests do not depend on which rules
// exist. It reports:
//   - BAD: error "fake-bad" with a safe preferred fix (→ GOOD) and an unsafe one (delete);
//   - OLD: warning "fake-old", tagged deprecated and unnecessary, related to the first BAD;
//   - NOPOS: a finding without a position;
//   - WIDE: "fake-wide" whose safe fix rewrites the whole line (overlapping other fixes);
//   - BOOM: a panic;
//   - OPTS: "fake-opts" whose message shows the options the rules got.
func fakeRun(doc *plistxml.Document, opts rules.Options) []rules.Finding {
	src := string(doc.Src)
	var out []rules.Finding
	firstBad := strings.Index(src, "BAD")
	for _, i := range indexes(src, "BOOM") {
		panic(fmt.Sprintf("BOOM at %d", i))
	}
	for _, i := range indexes(src, "BAD") {
		sp := plistxml.Span{Start: i, End: i + 3}
		out = append(out, rules.Finding{Rule: "fake-bad", Severity: rules.Error, Span: sp, Message: "BAD is bad",
			Fixes: []rules.Fix{
				{Title: "Replace with GOOD", Edits: []rules.Edit{{Span: sp, NewText: "GOOD"}}, Safe: true, Preferred: true},
				{Title: "Delete BAD", Edits: []rules.Edit{{Span: sp, NewText: ""}}},
			}})
	}
	for _, i := range indexes(src, "OLD") {
		f := rules.Finding{Rule: "fake-old", Severity: rules.Warning, Span: plistxml.Span{Start: i, End: i + 3},
			Message: "OLD is deprecated", Tags: rules.TagDeprecated | rules.TagUnnecessary}
		if firstBad >= 0 {
			f.Related = []rules.Related{{Span: plistxml.Span{Start: firstBad, End: firstBad + 3}, Message: "first BAD"}}
		}
		out = append(out, f)
	}
	for range indexes(src, "NOPOS") {
		out = append(out, rules.Finding{Rule: "fake-nopos", Severity: rules.Info, Span: plistxml.NoSpan, Message: "no position"})
	}
	for _, i := range indexes(src, "WIDE") {
		start := strings.LastIndexByte(src[:i], '\n') + 1
		end := i + strings.IndexByte(src[i:]+"\n", '\n')
		out = append(out, rules.Finding{Rule: "fake-wide", Severity: rules.Hint, Span: plistxml.Span{Start: i, End: i + 4},
			Message: "WIDE line", Fixes: []rules.Fix{{Title: "Rewrite the line", Safe: true,
				Edits: []rules.Edit{{Span: plistxml.Span{Start: start, End: end}, NewText: "<!-- rewritten -->"}}}}})
	}
	for _, i := range indexes(src, "OPTS") {
		out = append(out, rules.Finding{Rule: "fake-opts", Severity: rules.Info, Span: plistxml.Span{Start: i, End: i + 4},
			Message: "platforms=" + strings.Join(opts.Targets.Platforms, ",") + " distribution=" + opts.Targets.Distribution})
	}
	sortFindings(out)
	return out
}

func indexes(s, sub string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return out
		}
		out = append(out, i+j)
		i += j + len(sub)
	}
}

func sortFindings(fs []rules.Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Span.Start < fs[j-1].Span.Start; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// utf16Pos computes an LSP position independently of lineindex, to check
// the server's conversions.
func utf16Pos(text string, off int) protocol.Position {
	var line, col uint32
	for i, r := range text {
		if i >= off {
			break
		}
		if r == '\n' {
			line, col = line+1, 0
			continue
		}
		col += uint32(len(utf16.Encode([]rune{r})))
	}
	return protocol.Position{Line: line, Character: col}
}

// utf16Offset is the inverse of utf16Pos (for "\n" line ends).
func utf16Offset(text string, p protocol.Position) int {
	var line, col uint32
	for i, r := range text {
		if line == p.Line && col >= p.Character || line > p.Line {
			return i
		}
		if r == '\n' {
			if line == p.Line {
				return i
			}
			line, col = line+1, 0
			continue
		}
		col += uint32(utf16.RuneLen(r))
	}
	return len(text)
}

// applyEdits applies LSP text edits to text, as an editor does.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	type ed struct {
		a, b int
		s    string
	}
	var eds []ed
	for _, e := range edits {
		a, b := utf16Offset(text, e.Range.Start), utf16Offset(text, e.Range.End)
		if a > b {
			t.Fatalf("edit with reversed range %v", e.Range)
		}
		eds = append(eds, ed{a, b, e.NewText})
	}
	for i := 1; i < len(eds); i++ {
		for j := i; j > 0 && eds[j].a < eds[j-1].a; j-- {
			eds[j], eds[j-1] = eds[j-1], eds[j]
		}
	}
	var b strings.Builder
	last := 0
	for _, e := range eds {
		if e.a < last {
			t.Fatalf("overlapping edits: %v", edits)
		}
		b.WriteString(text[last:e.a])
		b.WriteString(e.s)
		last = e.b
	}
	b.WriteString(text[last:])
	out := b.String()
	if !utf8.ValidString(out) {
		t.Fatalf("edits split a character: %q", out)
	}
	return out
}

// requireParser skips a test that needs the real XML parser (the package
// starts with a stub that returns an empty tree).
func requireParser(t *testing.T) {
	t.Helper()
	if doc := plistxml.Parse([]byte("<plist><dict><key>a</key>")); len(doc.Problems) == 0 && doc.Root == nil {
		t.Skip("plistxml.Parse is still a stub")
	}
}
