package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func hoverParams(uri string, line, char uint32) *protocol.HoverParams {
	return &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)},
		Position:     protocol.Position{Line: line, Character: char}}}
}

func TestLifecycleErrors(t *testing.T) {
	c := startServer(t, hooks{})
	uri := "file:///tmp/a.entitlements"

	// Before initialize: ServerNotInitialized, and notifications are dropped.
	c.open(uri, "BAD", 1)
	err := c.call(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil)
	if rpcCode(err) != jsonrpc2.ServerNotInitialized {
		t.Fatalf("hover before initialize: got %v, want code -32002", err)
	}
	if err := c.call(protocol.MethodShutdown, nil, nil); rpcCode(err) != jsonrpc2.ServerNotInitialized {
		t.Fatalf("shutdown before initialize: got %v, want code -32002", err)
	}

	res := c.initialize(nil)
	if res.ServerInfo == nil || res.ServerInfo.Name != "entitlint" || res.ServerInfo.Version == "" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
	if err := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: got %v, want InvalidRequest", err)
	}
	// The didOpen sent before initialize was dropped: nothing is open.
	var syms []any
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &syms)
	if len(c.publishesFor(uri)) != 0 {
		t.Errorf("a didOpen sent before initialize was processed")
	}

	tests := []struct {
		method string
		params any
		want   jsonrpc2.Code
	}{
		{"textDocument/definition", hoverParams(uri, 0, 0), jsonrpc2.MethodNotFound},
		{"entitlint/unknown", nil, jsonrpc2.MethodNotFound},
		{"textDocument/formatting", map[string]any{"textDocument": map[string]string{"uri": uri}}, jsonrpc2.MethodNotFound},
	}
	for _, tt := range tests {
		if err := c.call(tt.method, tt.params, nil); rpcCode(err) != tt.want {
			t.Errorf("%s: got %v, want code %d", tt.method, err, tt.want)
		}
	}
	// Unknown notifications, $/ ones included, are ignored silently and the
	// connection lives on.
	c.notify("$/setTrace", map[string]string{"value": "verbose"})
	c.notify("$/unknown", nil)
	c.notify("entitlint/whatever", map[string]int{"x": 1})

	c.mustCall(protocol.MethodShutdown, nil, nil)
	if err := c.call(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("hover after shutdown: got %v, want InvalidRequest", err)
	}
	if err := c.call(protocol.MethodShutdown, nil, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second shutdown: got %v, want InvalidRequest", err)
	}
}

func TestServeReturn(t *testing.T) {
	tests := []struct {
		name     string
		init     bool
		shutdown bool
		exit     bool
		want     error
	}{
		{"shutdown then exit", true, true, true, nil},
		{"exit without shutdown", true, false, true, ErrExitWithoutShutdown},
		{"exit before initialize", false, false, true, ErrExitWithoutShutdown},
		{"stream closed", true, false, false, ErrConnectionClosed},
		{"stream closed after shutdown", true, true, false, ErrConnectionClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srvEnd, cliEnd := net.Pipe()
			done := make(chan error, 1)
			go func() { done <- Serve(context.Background(), srvEnd, Options{}) }()
			conn := jsonrpc2.NewConn(jsonrpc2.NewStream(cliEnd))
			conn.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
			defer conn.Close()
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			if tt.init {
				if _, err := conn.Call(ctx, protocol.MethodInitialize, &protocol.InitializeParams{}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if tt.shutdown {
				if _, err := conn.Call(ctx, protocol.MethodShutdown, nil, nil); err != nil {
					t.Fatal(err)
				}
			}
			if tt.exit {
				if err := conn.Notify(ctx, protocol.MethodExit, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				conn.Close()
			}
			select {
			case err := <-done:
				if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
					t.Errorf("Serve returned %v, want %v", err, tt.want)
				}
			case <-time.After(waitTimeout):
				t.Fatal("Serve did not return")
			}
		})
	}
}

// stuckStdio reads frames from a pipe the test never closes, and its Close
// does not interrupt a pending Read: like a blocking os.Stdin whose client
// keeps the pipe open.
type stuckStdio struct {
	r *io.PipeReader
	w syncBuffer
}

func (s *stuckStdio) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s *stuckStdio) Write(p []byte) (int, error) { return s.w.Write(p) }
func (s *stuckStdio) Close() error                { return nil }

// TestExitWithStuckReader: Serve returns on exit even though its read loop
// is blocked for good (Neovim waited 10 s for the process before this).
func TestExitWithStuckReader(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	rwc := &stuckStdio{r: pr}
	done := make(chan error, 1)
	go func() { done <- Serve(context.Background(), rwc, Options{}) }()
	for i, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	} {
		if _, err := fmt.Fprintf(pw, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve = %v, want nil after shutdown and exit", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Serve did not return after exit while its reader was blocked")
	}
	if out := rwc.w.String(); !strings.Contains(out, `"id":2`) {
		t.Errorf("no shutdown reply in %q", out)
	}
}

// TestCancelNumericID cancels a blocked request the way VS Code and Neovim
// do, with a numeric id; the server must stop it and answer -32800.
func TestCancelNumericID(t *testing.T) {
	started := make(chan jsonrpc2.ID, 1)
	stopped := make(chan struct{})
	c := startServer(t, hooks{beforeRequest: func(ctx context.Context, call *jsonrpc2.Call) {
		if call.Method() != protocol.MethodTextDocumentHover {
			return
		}
		started <- call.ID()
		select {
		case <-ctx.Done():
			close(stopped)
		case <-time.After(waitTimeout):
		}
	}})
	c.initialize(nil)
	uri := "file:///tmp/slow.entitlements"
	c.open(uri, "<plist/>", 1)

	errc := make(chan error, 1)
	go func() { errc <- c.call(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil) }()
	var id jsonrpc2.ID
	select {
	case id = <-started:
	case <-time.After(waitTimeout):
		t.Fatal("hover never started")
	}
	// Whatever else is asked meanwhile is answered: requests do not queue
	// behind the slow one.
	var syms []any
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}}, &syms)

	raw, _ := json.Marshal(&id)
	if raw[0] == '"' {
		t.Fatalf("the test client should use numeric ids, got %s", raw)
	}
	c.notify(protocol.MethodCancelRequest, json.RawMessage(`{"id":`+string(raw)+`}`))
	select {
	case <-stopped:
	case <-time.After(waitTimeout):
		t.Fatal("the request's context was not cancelled")
	}
	if err := <-errc; rpcCode(err) != protocol.CodeRequestCancelled {
		t.Fatalf("cancelled hover: got %v, want code -32800", err)
	}
}

func TestParseCancelID(t *testing.T) {
	tests := []struct {
		params string
		want   jsonrpc2.ID
		ok     bool
	}{
		{`{"id":7}`, jsonrpc2.NewNumberID(7), true},
		{`{"id":7.0}`, jsonrpc2.NewNumberID(7), true},
		{`{"id":"abc"}`, jsonrpc2.NewStringID("abc"), true},
		{`{"id":1e20}`, jsonrpc2.ID{}, false},
		{`{"id":null}`, jsonrpc2.ID{}, false},
		{`{}`, jsonrpc2.ID{}, false},
		{`nonsense`, jsonrpc2.ID{}, false},
	}
	for _, tt := range tests {
		got, ok := parseCancelID(json.RawMessage(tt.params))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCancelID(%s) = %v, %v; want %v, %v", tt.params, got, ok, tt.want, tt.ok)
		}
	}
}

// TestHandlerPanic: a panicking request gets an error reply and the
// server keeps answering.
func TestHandlerPanic(t *testing.T) {
	var panicked atomic.Bool
	c := startServer(t, hooks{beforeRequest: func(_ context.Context, call *jsonrpc2.Call) {
		if call.Method() == protocol.MethodTextDocumentHover && !panicked.Swap(true) {
			panic("injected")
		}
	}})
	c.initialize(nil)
	uri := "file:///tmp/p.entitlements"
	c.open(uri, "BAD", 1)
	err := c.call(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil)
	if rpcCode(err) != jsonrpc2.InternalError {
		t.Fatalf("panicking hover: got %v, want InternalError", err)
	}
	if err := c.call(protocol.MethodTextDocumentHover, hoverParams(uri, 0, 0), nil); err != nil {
		t.Fatalf("hover after a panic: %v", err)
	}
	c.waitVersion(uri, 1)
	if !strings.Contains(c.logs.String(), "injected") {
		t.Errorf("the panic was not logged")
	}
}

// rawClient talks to the server frame by frame, for what a jsonrpc2.Conn
// cannot do (string ids, malformed frames, checking that nothing is sent).
type rawClient struct {
	t      *testing.T
	pipe   net.Conn
	stream jsonrpc2.Stream
	done   chan error
}

func startRaw(t *testing.T, h hooks) *rawClient {
	srvEnd, cliEnd := net.Pipe()
	r := &rawClient{t: t, pipe: cliEnd, stream: jsonrpc2.NewStream(cliEnd), done: make(chan error, 1)}
	if h.run == nil {
		h.run = fakeRun
	}
	go func() { r.done <- Serve(context.Background(), srvEnd, Options{hooks: h}) }()
	t.Cleanup(func() {
		cliEnd.Close()
		<-r.done
	})
	return r
}

func (r *rawClient) send(msg jsonrpc2.Message) {
	r.t.Helper()
	_ = r.pipe.SetWriteDeadline(time.Now().Add(waitTimeout))
	if _, err := r.stream.Write(context.Background(), msg); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// sendFrame sends body as one frame, whatever it contains.
func (r *rawClient) sendFrame(body string) {
	r.t.Helper()
	_ = r.pipe.SetWriteDeadline(time.Now().Add(waitTimeout))
	if _, err := fmt.Fprintf(r.pipe, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// read returns the next message that is not a notification.
func (r *rawClient) read() *jsonrpc2.Response {
	r.t.Helper()
	for {
		_ = r.pipe.SetReadDeadline(time.Now().Add(waitTimeout))
		msg, _, err := r.stream.Read(context.Background())
		if err != nil {
			r.t.Fatalf("read: %v", err)
		}
		if resp, ok := msg.(*jsonrpc2.Response); ok {
			return resp
		}
	}
}

func (r *rawClient) call(id jsonrpc2.ID, method string, params any) {
	r.t.Helper()
	call, err := jsonrpc2.NewCall(id, method, params)
	if err != nil {
		r.t.Fatal(err)
	}
	r.send(call)
}

func (r *rawClient) notify(method string, params any) {
	r.t.Helper()
	n, err := jsonrpc2.NewNotification(method, params)
	if err != nil {
		r.t.Fatal(err)
	}
	r.send(n)
}

// TestRawProtocol checks what a jsonrpc2.Conn hides: notifications get no
// reply, a malformed frame does not kill the connection, and string ids
// can be cancelled.
func TestRawProtocol(t *testing.T) {
	started := make(chan struct{}, 1)
	r := startRaw(t, hooks{beforeRequest: func(ctx context.Context, call *jsonrpc2.Call) {
		if call.Method() == protocol.MethodTextDocumentHover {
			started <- struct{}{}
			<-ctx.Done()
		}
	}})
	r.call(jsonrpc2.NewNumberID(1), protocol.MethodInitialize, &protocol.InitializeParams{})
	if resp := r.read(); resp.ID() != jsonrpc2.NewNumberID(1) || resp.Err() != nil {
		t.Fatalf("initialize: %v %v", resp.ID(), resp.Err())
	}
	// Notifications, known or not, are never answered: the next response
	// must be the one for id 2.
	r.notify(protocol.MethodInitialized, map[string]any{})
	r.notify("$/unknown", nil)
	r.notify("custom/notification", map[string]int{"a": 1})
	r.notify(protocol.MethodCancelRequest, map[string]any{"id": 999})
	r.notify(protocol.MethodCancelRequest, map[string]any{"id": []int{1}})
	// A frame that is not JSON-RPC is skipped.
	r.sendFrame("{garbage}")
	r.sendFrame(`{"jsonrpc":"2.0","id":{"bad":1},"method":"x"}`)
	r.call(jsonrpc2.NewNumberID(2), protocol.MethodTextDocumentFoldingRange,
		map[string]any{"textDocument": map[string]string{"uri": "file:///none"}, "position": map[string]int{"line": 0, "character": 0}})
	if resp := r.read(); resp.ID() != jsonrpc2.NewNumberID(2) || resp.Err() != nil {
		t.Fatalf("after notifications: got response %v (%v), want id 2 without error", resp.ID(), resp.Err())
	}

	r.call(jsonrpc2.NewStringID("slow-hover"), protocol.MethodTextDocumentHover, hoverParams("file:///none", 0, 0))
	select {
	case <-started:
	case <-time.After(waitTimeout):
		t.Fatal("hover did not start")
	}
	r.notify(protocol.MethodCancelRequest, map[string]any{"id": "slow-hover"})
	resp := r.read()
	if resp.ID() != jsonrpc2.NewStringID("slow-hover") || rpcCode(resp.Err()) != protocol.CodeRequestCancelled {
		t.Fatalf("cancelled string-id hover: got %v %v", resp.ID(), resp.Err())
	}

	r.call(jsonrpc2.NewNumberID(3), protocol.MethodShutdown, nil)
	if resp := r.read(); resp.ID() != jsonrpc2.NewNumberID(3) || resp.Err() != nil {
		t.Fatalf("shutdown: %v", resp.Err())
	}
	// exit with "params": null must still exit (v0.12's dispatcher rejects it).
	r.sendFrame(`{"jsonrpc":"2.0","method":"exit","params":null}`)
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Serve after shutdown+exit: %v", err)
		}
		r.done <- nil
	case <-time.After(waitTimeout):
		t.Fatal("exit did not stop the server")
	}
}
