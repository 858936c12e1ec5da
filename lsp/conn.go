// Package lsp is entitlint's language server. It is the only package that
// imports go.lsp.dev: it converts rules.Findings (byte offsets) into LSP
// diagnostics, code actions, hovers and completions (UTF-16 positions).
//
// The connection is wired by hand (not protocol.NewServer) because
// go.lsp.dev/protocol v0.12.0 has defects this file works around:
//   - its $/cancelRequest handler ignores numeric ids (they decode as
//     float64), so cancellation never happens with VS Code or Neovim;
//   - a panic in a handler kills the process (recovery must sit inside the
//     goroutine that runs the handler);
//   - the context logger is overwritten by the client (key collision), so
//     the logger is injected explicitly;
//   - returning an error from a jsonrpc2 handler, or one malformed frame,
//     closes the connection.
package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// Options configure Serve.
type Options struct {
	// Logger receives the server's own log. Nil means no logging. It must
	// not write to the LSP stream (stdout).
	Logger *zap.Logger

	// TuneGC lets the server adapt the garbage collector to the size of
	// the open documents (see gcTuner). It changes process-wide settings,
	// so only a process that is just a language server should set it.
	TuneGC bool

	hooks hooks // tests only
}

// hooks let tests inject behaviour without exporting it.
type hooks struct {
	// beforeRequest runs in a request's goroutine before it is dispatched
	// (tests make requests slow or panic with it).
	beforeRequest func(ctx context.Context, req *jsonrpc2.Call)
	// run replaces rules.Run, so tests do not depend on which rules exist.
	run func(doc *plistxml.Document, opts rules.Options) []rules.Finding
	// beforeReply runs in a request's goroutine after its handler has
	// returned and before its reply is encoded.
	beforeReply func(method string)
}

// ErrExitWithoutShutdown is returned by Serve when the client sent exit
// without a shutdown request first (the process should exit with 1).
var ErrExitWithoutShutdown = errors.New("exit notification received before shutdown")

// ErrConnectionClosed is returned by Serve when the stream ended before the
// client sent exit.
var ErrConnectionClosed = errors.New("connection closed before exit")

// Serve runs a language server over rwc until the client sends exit or the
// stream dies. It returns nil after shutdown+exit, ErrExitWithoutShutdown
// for an exit without shutdown, and an error wrapping ErrConnectionClosed
// (or the stream's error) when the stream ended first.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The catalog takes a few milliseconds to build; initialize (for its
	// version) and the first analysis need it, so start now.
	go catalog.Builtin()

	st := newStream(rwc, log)
	conn := jsonrpc2.NewConn(st)
	// The protocol package's own client logging is noisy and goes through
	// the broken context logger; ours logs what matters.
	client := protocol.ClientDispatcher(conn, zap.NewNop())
	s := newServer(ctx, conn, client, log, opts.hooks)
	s.stream = st
	if opts.TuneGC {
		s.gc = newGCTuner()
		defer s.gc.reset()
	}
	conn.Go(ctx, s.handle)

	// After exit (or cancellation) Serve returns without waiting for the
	// read loop: on a blocking stdin, Close does not interrupt a pending
	// read, and the client may keep the pipe open until the process ends.
	select {
	case <-s.exited:
		_ = conn.Close()
		if s.lifecycle() == stateShutdown {
			log.Info("exit after shutdown")
			return nil
		}
		log.Warn("exit without shutdown")
		return ErrExitWithoutShutdown
	case <-conn.Done():
		err := conn.Err()
		log.Warn("connection closed before exit", zap.Error(err))
		if err == nil || errors.Is(err, io.EOF) {
			return ErrConnectionClosed
		}
		return fmt.Errorf("%w: %v", ErrConnectionClosed, err)
	case <-ctx.Done():
		_ = conn.Close()
		return ctx.Err()
	}
}

// handle is the connection's only jsonrpc2 handler. It runs on the read
// loop, so notifications are applied in order (a didChange is in place
// before the next request starts); requests then run in their own
// goroutines so a slow one never holds up the others. It never returns an
// error: that would close the connection.
func (s *server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	call, isCall := req.(*jsonrpc2.Call)
	if !isCall {
		s.notification(ctx, req)
		return nil
	}
	r := s.newReplier(reply, call)
	method := req.Method()
	switch st := s.lifecycle(); {
	case method == protocol.MethodInitialize:
		// Synchronous: nothing else may run before the state is set.
		s.safely(method, func() { s.dispatch(ctx, r, req) })
		if !r.done() {
			r.reply(nil, jsonrpc2.NewError(jsonrpc2.InternalError, "initialize failed"))
		}
		return nil
	case st == stateNew:
		r.reply(nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized: send initialize first"))
		return nil
	case st == stateShutdown:
		r.reply(nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down: only exit is accepted"))
		return nil
	case method == protocol.MethodShutdown:
		s.setLifecycle(stateShutdown)
		r.reply(nil, nil)
		return nil
	case !handledRequests[method]:
		r.reply(nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method))
		return nil
	}

	rctx, cancel := context.WithCancel(ctx)
	s.inflight.add(call.ID(), cancel)
	go func() {
		start := time.Now()
		rctx, refs := withRequestRefs(rctx)
		defer refs.releaseAll() // last: after the reply, even a panic's, is written
		defer cancel()
		defer s.inflight.remove(call.ID())
		defer func() {
			if ce := s.log.Check(zap.DebugLevel, "request"); ce != nil {
				ce.Write(zap.String("method", method), zap.String("id", fmt.Sprint(call.ID())),
					zap.Duration("took", time.Since(start)), zap.Bool("cancelled", rctx.Err() != nil))
			}
		}()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic in request handler", zap.String("method", method),
					zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
				r.reply(nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", method, p))
			}
		}()
		if h := s.hooks.beforeRequest; h != nil {
			h(rctx, call)
		}
		if rctx.Err() != nil {
			r.reply(nil, protocol.ErrRequestCancelled)
			return
		}
		_ = s.dispatcher(rctx, func(_ context.Context, result any, err error) error {
			if h := s.hooks.beforeReply; h != nil {
				h(method)
			}
			if rctx.Err() != nil {
				result, err = nil, protocol.ErrRequestCancelled
			}
			r.reply(result, err)
			return nil
		}, req)
		if !r.done() {
			r.reply(nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "no reply from %s", method))
		}
	}()
	return nil
}

// notification applies one notification on the read loop.
func (s *server) notification(ctx context.Context, req jsonrpc2.Request) {
	method := req.Method()
	switch {
	case method == protocol.MethodExit:
		s.exitOnce.Do(func() { close(s.exited) })
		return
	case method == protocol.MethodCancelRequest:
		s.cancelRequest(req.Params())
		return
	case !handledNotifications[method]:
		// Unknown and $/ notifications are ignored without a reply, as the
		// spec requires.
		s.log.Debug("ignored notification", zap.String("method", method))
		return
	}
	if st := s.lifecycle(); st != stateRunning {
		s.log.Debug("dropped notification", zap.String("method", method), zap.Stringer("state", st))
		return
	}
	if text, ok := s.stream.takeText(req); ok {
		s.safely(method, func() { s.openOrChange(req, text) })
		return
	}
	if method == protocol.MethodTextDocumentDidChange {
		s.safely(method, func() {
			var p didChangeParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				s.log.Warn("bad didChange", zap.Error(err))
				return
			}
			s.didChange(&p)
		})
		return
	}
	s.safely(method, func() {
		// The replier of a notification is a no-op; errors are logged by
		// the handlers themselves.
		_ = s.dispatcher(ctx, func(context.Context, any, error) error { return nil }, req)
	})
}

// openOrChange applies a didOpen or didChange whose document text the
// stream cut out of the frame (see cutDocumentText).
func (s *server) openOrChange(req jsonrpc2.Request, text []byte) {
	switch req.Method() {
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			s.log.Warn("bad didOpen", zap.Error(err))
			return
		}
		s.update(string(p.TextDocument.URI), p.TextDocument.Version, text)
	case protocol.MethodTextDocumentDidChange:
		// The stream only cuts a didChange whose last change is a whole
		// text, so that text is the document.
		var p didChangeParams
		if err := json.Unmarshal(req.Params(), &p); err != nil || len(p.ContentChanges) == 0 {
			s.log.Warn("bad didChange", zap.Error(err))
			return
		}
		s.update(string(p.TextDocument.URI), p.TextDocument.Version, text)
	}
}

// dispatch decodes a request's params and calls the server method
// synchronously.
func (s *server) dispatch(ctx context.Context, r *replier, req jsonrpc2.Request) {
	_ = s.dispatcher(ctx, func(_ context.Context, result any, err error) error {
		r.reply(result, err)
		return nil
	}, req)
}

// safely runs f and turns a panic into a log line with the stack.
func (s *server) safely(what string, f func()) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic", zap.String("in", what), zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
		}
	}()
	f()
}

// handledRequests are the requests routed to the server's methods; any
// other request gets MethodNotFound.
var handledRequests = map[string]bool{
	protocol.MethodTextDocumentHover:          true,
	protocol.MethodTextDocumentCompletion:     true,
	protocol.MethodTextDocumentCodeAction:     true,
	protocol.MethodTextDocumentDocumentSymbol: true,
	protocol.MethodTextDocumentFoldingRange:   true,
}

// handledNotifications are applied in order on the read loop.
var handledNotifications = map[string]bool{
	protocol.MethodInitialized:                     true,
	protocol.MethodTextDocumentDidOpen:             true,
	protocol.MethodTextDocumentDidChange:           true,
	protocol.MethodTextDocumentDidClose:            true,
	protocol.MethodTextDocumentDidSave:             true,
	protocol.MethodWorkspaceDidChangeConfiguration: true,
	protocol.MethodWorkspaceDidChangeWatchedFiles:  true,
}

// replier sends exactly one reply per call (jsonrpc2's ReplyHandler would
// panic instead), always on the connection's context: a cancelled request
// context would make the stream drop the reply.
type replier struct {
	ctx     context.Context
	reply   func(result any, err error)
	replied atomic.Bool
}

func (s *server) newReplier(reply jsonrpc2.Replier, call *jsonrpc2.Call) *replier {
	r := &replier{ctx: s.ctx}
	r.reply = func(result any, err error) {
		if !r.replied.CompareAndSwap(false, true) {
			s.log.Error("second reply dropped", zap.String("method", call.Method()), zap.Error(err))
			return
		}
		if err != nil {
			s.log.Debug("request failed", zap.String("method", call.Method()), zap.Error(err))
		}
		if werr := reply(r.ctx, result, err); werr != nil {
			s.log.Warn("reply not sent", zap.String("method", call.Method()), zap.Error(werr))
		}
	}
	return r
}

func (r *replier) done() bool { return r.replied.Load() }

// inflight maps the ids of running requests to their cancel functions.
type inflight struct {
	mu sync.Mutex
	m  map[jsonrpc2.ID]context.CancelFunc
}

func (f *inflight) add(id jsonrpc2.ID, cancel context.CancelFunc) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[jsonrpc2.ID]context.CancelFunc{}
	}
	f.m[id] = cancel
	f.mu.Unlock()
}

func (f *inflight) remove(id jsonrpc2.ID) {
	f.mu.Lock()
	delete(f.m, id)
	f.mu.Unlock()
}

func (f *inflight) cancel(id jsonrpc2.ID) bool {
	f.mu.Lock()
	cancel, ok := f.m[id]
	f.mu.Unlock()
	if ok {
		cancel()
	}
	return ok
}

// cancelRequest cancels a running request. Ids may be numbers (VS Code,
// Neovim) or strings; numbers are decoded as json.Number because v0.12's
// handler only matched int32 and a JSON number arrives as float64.
func (s *server) cancelRequest(params json.RawMessage) {
	id, ok := parseCancelID(params)
	if !ok {
		s.log.Debug("malformed $/cancelRequest", zap.ByteString("params", params))
		return
	}
	found := s.inflight.cancel(id)
	s.log.Debug("cancel request", zap.String("id", fmt.Sprintf("%v", id)), zap.Bool("running", found))
}

func parseCancelID(params json.RawMessage) (jsonrpc2.ID, bool) {
	var p struct {
		ID any `json:"id"`
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return jsonrpc2.ID{}, false
	}
	switch v := p.ID.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil && n == int64(int32(n)) {
			return jsonrpc2.NewNumberID(int32(n)), true
		}
		if f, err := v.Float64(); err == nil && f == float64(int32(f)) {
			return jsonrpc2.NewNumberID(int32(f)), true
		}
	case string:
		return jsonrpc2.NewStringID(v), true
	}
	return jsonrpc2.ID{}, false
}
