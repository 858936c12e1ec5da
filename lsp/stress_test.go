package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/textsync/synctest"
)

// Scale TestStress up, e.g.
//
//	go test -race ./lsp -run TestStress -stress.docs 1000 -stress.edits 50000 -v
var (
	stressDocs     = flag.Int("stress.docs", 200, "TestStress: documents open at once")
	stressEdits    = flag.Int("stress.edits", 2000, "TestStress: didChange notifications")
	stressRequests = flag.Int("stress.requests", -1, "TestStress: requests (hover, completion, code action, symbols, folding); -1 means as many as edits")
	stressSeed     = flag.Uint64("stress.seed", 0, "TestStress: random seed (0: from the clock; the seed is logged)")
)

// Settings sent as initializationOptions and then, mid-stream, through
// didChangeConfiguration; the last one is in force at the end.
const stressInitSettings = `{"platforms": ["ios"]}`

var stressSettings = []string{
	`{"platforms": ["macos"]}`,
	`{"entitlint": {"platforms": ["ios", "macos"], "distribution": "developer-id"}}`,
	`{"platforms": ["macos"], "rules": {"empty-value": "off"}}`,
}

// TestStress drives one server the way a busy editor session would, and
// then some: many documents open at once, thousands of edits (ranged, as
// editors send them, and whole texts) that break and repair the XML,
// concurrent hovers, completions, code actions, symbols and folding
// requests, cancellations of requests in flight, and configuration changes
// mid-stream. At the end:
//   - every document's last published diagnostics are exactly what
//     rules.Check finds in its final text with the final configuration;
//   - published versions never go backwards;
//   - every request got exactly the reply it should (a result, or -32800
//     for a request the client cancelled);
//   - the server's goroutines are all gone after exit.
//
// Run it with -race; -short shrinks it, the -stress.* flags scale it.
func TestStress(t *testing.T) {
	requireParser(t)
	nDocs, nEdits, nRequests := *stressDocs, *stressEdits, *stressRequests
	if nRequests < 0 {
		nRequests = nEdits
	}
	if testing.Short() {
		nDocs, nEdits, nRequests = min(nDocs, 40), min(nEdits, 400), min(nRequests, 400)
	}
	seed := *stressSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -stress.seed %d)", seed, seed)

	// Documents live in two workspace directories: one with a
	// .entitlint.json that sets the distribution and a rule severity, one
	// without.
	root := t.TempDir()
	dirs := []string{filepath.Join(root, "plain"), filepath.Join(root, "team")}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dirs[1], config.FileName), `{"distribution": "app-store", "rules": {"unknown-key": "error"}}`)

	goroutinesBefore := runtime.NumGoroutine()
	start := time.Now()
	st := newStressClient(t, seed)

	var initOpts map[string]any
	if err := json.Unmarshal([]byte(stressInitSettings), &initOpts); err != nil {
		t.Fatal(err)
	}
	st.c.mustCall(protocol.MethodInitialize, &protocol.InitializeParams{
		Capabilities:          clientCapabilities(),
		InitializationOptions: initOpts,
		WorkspaceFolders:      []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "stress"}},
	}, nil)
	st.c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})

	gen := newDocGen(seed)
	docs := make([]*stressDoc, nDocs)
	for i := range docs {
		d := &stressDoc{
			uri: fileURI(filepath.Join(dirs[i%2], fmt.Sprintf("Doc%03d.entitlements", i))),
			dir: dirs[i%2],
			rnd: rand.New(rand.NewPCG(seed, uint64(i))),
		}
		for n := 3 + d.rnd.IntN(10); n > 0; n-- {
			d.entries = append(d.entries, gen.entry(d.rnd))
		}
		d.version = 1
		d.text = d.render()
		docs[i] = d
		st.c.open(d.uri, d.text, d.version)
	}

	// Editors own a share of the documents each, so that every document's
	// versions reach the server in order; requesters ask about any
	// document; the settings change as the edits progress.
	const editors, requesters = 4, 4
	var edited atomic.Int64
	var wg sync.WaitGroup
	for e := 0; e < editors; e++ {
		wg.Add(1)
		go func(e int) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, uint64(1_000_000+e)))
			var mine []*stressDoc
			for i := e; i < len(docs); i += editors {
				mine = append(mine, docs[i])
			}
			for i := e; i < nEdits; i += editors {
				d := mine[rnd.IntN(len(mine))]
				st.edit(d, gen)
				edited.Add(1)
				if rnd.IntN(8) == 0 {
					// Right after an edit, as editors do on every keystroke.
					st.request(rnd, d)
				}
			}
		}(e)
	}
	for r := 0; r < requesters; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, uint64(2_000_000+r)))
			for i := r; i < nRequests; i += requesters {
				st.request(rnd, docs[rnd.IntN(len(docs))])
			}
		}(r)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, s := range stressSettings {
			// Wait for the edits to get that far (without sleeping for a
			// fixed time: poll the counter).
			for edited.Load() < int64((i+1)*nEdits/(len(stressSettings)+1)) {
				runtime.Gosched()
				time.Sleep(time.Millisecond)
			}
			var v any
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				t.Error(err)
				return
			}
			if err := st.c.conn.Notify(context.Background(), protocol.MethodWorkspaceDidChangeConfiguration,
				&protocol.DidChangeConfigurationParams{Settings: v}); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	st.stopCancelling()
	sent := time.Since(start)

	// Phase 1: the server settles on the final text of every document with
	// the final settings. Documents not edited after the last settings
	// change only get there through the server's own re-check.
	expect := make(map[string][]protocol.Diagnostic, len(docs))
	for _, d := range docs {
		expect[d.uri] = expectedDiagnostics(t, d.text, d.dir)
	}
	st.waitSettled(docs, expect, "after the last edit")
	settled := time.Since(start)

	// Phase 2: one more version of every document (same text), so that the
	// last publish of each is known; then shutdown and exit, after which
	// the log of publishes is complete and must end with those.
	for _, d := range docs {
		d.version++
		st.c.change(d.uri, d.text, d.version)
	}
	st.waitSettled(docs, expect, "after a final no-op version")
	st.c.mustCall(protocol.MethodShutdown, nil, nil)
	st.c.notify(protocol.MethodExit, nil)
	select {
	case err := <-st.c.serveErr:
		if err != nil {
			t.Errorf("Serve after shutdown and exit: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Serve did not return after exit")
	}
	_ = st.c.conn.Close()
	<-st.c.conn.Done()
	st.checkLog(docs, expect)
	st.checkReplies()
	checkAgainstCLI(t, root, docs, expect)

	// No goroutine outlives the server (nor the client).
	goroutinesAfter := settleGoroutines(goroutinesBefore, 5*time.Second)
	if goroutinesAfter > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after the server exited:\n%s", goroutinesBefore, goroutinesAfter, buf[:runtime.Stack(buf, true)])
	}

	st.mu.Lock()
	defer st.mu.Unlock()
	t.Logf("%d documents, %d edits, %d requests (%d cancelled by the client: %d answered -32800, %d finished first), %d settings changes, %d publishes",
		nDocs, nEdits, st.requests, st.cancelledErr+st.cancelledOK, st.cancelledErr, st.cancelledOK, len(stressSettings), len(st.c.publishes))
	t.Logf("sent in %v, settled after %v, done in %v; goroutines %d before, %d after",
		sent.Round(time.Millisecond), settled.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), goroutinesBefore, goroutinesAfter)
	if st.requests > 100 && st.cancelledErr < st.requests/20 {
		t.Errorf("only %d of %d requests answered -32800: cancellation does not work", st.cancelledErr, st.requests)
	}
}

// settleGoroutines waits until at most want goroutines run, and returns
// the count then (or at the deadline). Goroutines of a closed connection
// take a moment to notice.
func settleGoroutines(want int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stressClient is a testClient whose outgoing requests are tapped, so that
// some can be cancelled by their numeric id, and whose replies are all
// accounted for. Requests are cancelled by id:
//   - id%10 == 0: $/cancelRequest right behind the request on the wire; the
//     reply is -32800 or, if the request won the race, its result;
//   - id%10 == 5: the server holds the request (a test hook) until it is
//     cancelled, and the client cancels it a moment later; the reply must
//     be -32800.
type stressClient struct {
	t       *testing.T
	c       *testClient
	delayed chan int32 // ids to cancel a moment after sending
	stop    chan struct{}
	done    chan struct{}

	mu           sync.Mutex
	requests     int
	replies      map[jsonrpc2.ID]string // id → outcome, for duplicate detection
	failures     []string
	cancelledErr int // cancelled requests answered -32800
	cancelledOK  int // cancelled requests that finished first
}

// stressCancel says how a request is cancelled (see stressClient).
func stressCancel(id jsonrpc2.ID) (n int32, immediate, held bool) {
	raw, err := json.Marshal(&id)
	if err != nil || raw[0] == '"' {
		return 0, false, false
	}
	var v int32
	if json.Unmarshal(raw, &v) != nil {
		return 0, false, false
	}
	return v, v%10 == 0, v%10 == 5
}

func cancelFrame(id int32) jsonrpc2.Message {
	n, _ := jsonrpc2.NewNotification(protocol.MethodCancelRequest, json.RawMessage(fmt.Sprintf(`{"id":%d}`, id)))
	return n
}

// tapStream cancels requests as stressClient says.
type tapStream struct {
	jsonrpc2.Stream
	st *stressClient
}

func (s *tapStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	n, err := s.Stream.Write(ctx, msg)
	call, ok := msg.(*jsonrpc2.Call)
	if !ok || err != nil || call.Method() == protocol.MethodInitialize || call.Method() == protocol.MethodShutdown {
		return n, err
	}
	id, immediate, held := stressCancel(call.ID())
	if held {
		select {
		case s.st.delayed <- id:
			return n, err
		default: // the canceller is behind: cancel now
			immediate = true
		}
	}
	if immediate {
		// Still under the connection's write lock: the cancel is the very
		// next message.
		if _, err := s.Stream.Write(ctx, cancelFrame(id)); err != nil {
			return n, err
		}
	}
	return n, err
}

func newStressClient(t *testing.T, seed uint64) *stressClient {
	st := &stressClient{t: t, delayed: make(chan int32, 1024), stop: make(chan struct{}), done: make(chan struct{}),
		replies: map[jsonrpc2.ID]string{}}
	h := hooks{run: realRules, beforeRequest: func(ctx context.Context, call *jsonrpc2.Call) {
		if _, _, held := stressCancel(call.ID()); held {
			select {
			case <-ctx.Done():
			case <-time.After(4 * waitTimeout): // the cancel was lost: the client reports it
			}
		}
	}}
	srvEnd, cliEnd := net.Pipe()
	logs := &syncBuffer{}
	// Warnings and errors only: the debug log of thousands of requests
	// would cost more than the requests.
	logger := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(logs), zap.WarnLevel))
	c := &testClient{t: t, serveErr: make(chan error, 1), logs: logs, changed: make(chan struct{})}
	go func() { c.serveErr <- Serve(context.Background(), srvEnd, Options{Logger: logger, hooks: h}) }()
	c.conn = jsonrpc2.NewConn(&tapStream{Stream: jsonrpc2.NewStream(cliEnd), st: st})
	c.conn.Go(context.Background(), c.handle)
	st.c = c
	t.Cleanup(func() {
		_ = c.conn.Close()
		st.stopCancelling()
		if t.Failed() {
			log := logs.String()
			if len(log) > 20000 {
				log = log[:20000] + "…"
			}
			t.Logf("server log (warnings and errors):\n%s", log)
		}
	})
	go st.cancelDelayed(rand.New(rand.NewPCG(seed, 3_000_000)))
	return st
}

// cancelDelayed cancels the held requests, each after a short random delay.
func (st *stressClient) cancelDelayed(rnd *rand.Rand) {
	defer close(st.done)
	for {
		select {
		case <-st.stop:
			return
		case id := <-st.delayed:
			switch rnd.IntN(3) {
			case 0:
			case 1:
				runtime.Gosched()
			default:
				time.Sleep(time.Duration(rnd.IntN(1000)) * time.Microsecond)
			}
			_ = st.c.conn.Notify(context.Background(), protocol.MethodCancelRequest, json.RawMessage(fmt.Sprintf(`{"id":%d}`, id)))
		}
	}
}

func (st *stressClient) stopCancelling() {
	select {
	case <-st.stop:
	default:
		close(st.stop)
		<-st.done
	}
}

// edit applies a random change to d and sends it as an editor would: as
// a ranged edit, now and then split in two (a deletion, then an insertion
// at a position the first one moved), or as the whole new text. It runs
// on the editors' goroutines, so it reports errors with Errorf (the
// harness's notify calls Fatalf).
func (st *stressClient) edit(d *stressDoc, gen *docGen) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mutate(gen)
	d.version++
	before := d.text
	d.text = d.render()
	var changes []changeEvent
	switch n := d.rnd.IntN(10); {
	case n == 0:
		changes = []changeEvent{{Text: d.text}}
	case n == 1:
		// Delete the differing middle, then insert the new one.
		e := synctest.Edit(before, d.text)
		start, end := synctest.Offset(before, e.Range.Start), synctest.Offset(before, e.Range.End)
		deleted := before[:start] + before[end:]
		changes = []changeEvent{editFor(before, deleted), editFor(deleted, d.text)}
	default:
		changes = []changeEvent{editFor(before, d.text)}
	}
	if got := refApply(before, changes); got != d.text {
		st.t.Errorf("the test's own edit does not give the new text:\n%q\nwant\n%q", got, d.text)
	}
	uri := protocol.DocumentURI(d.uri)
	notify := func(method string, params any) {
		if err := st.c.conn.Notify(context.Background(), method, params); err != nil {
			st.t.Errorf("%s: %v", method, err)
		}
	}
	if d.rnd.IntN(100) == 0 {
		// Close and reopen now and then; versions keep increasing.
		notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
		notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
			URI: uri, LanguageID: "xml", Version: d.version, Text: d.text}})
		return
	}
	notify(protocol.MethodTextDocumentDidChange, &didChangeParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: d.version},
		ContentChanges: changes,
	})
}

// request sends one random request about d, at a random position (often
// past the end of a line or of the document), and checks its reply.
func (st *stressClient) request(rnd *rand.Rand, d *stressDoc) {
	d.mu.Lock()
	lines := strings.Count(d.text, "\n") + 1
	d.mu.Unlock()
	uri := protocol.DocumentURI(d.uri)
	if rnd.IntN(50) == 0 {
		uri = "file:///not/open.entitlements"
	}
	td := protocol.TextDocumentIdentifier{URI: uri}
	pos := protocol.Position{Line: uint32(rnd.IntN(lines + 2)), Character: uint32(rnd.IntN(60))}
	tdp := protocol.TextDocumentPositionParams{TextDocument: td, Position: pos}
	var (
		method string
		params any
		result any
	)
	switch rnd.IntN(5) {
	case 0:
		method, params, result = protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp}, new(*protocol.Hover)
	case 1:
		method, params, result = protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: tdp}, new(protocol.CompletionList)
	case 2:
		end := protocol.Position{Line: pos.Line + uint32(rnd.IntN(3)), Character: uint32(rnd.IntN(60))}
		var only []protocol.CodeActionKind
		if rnd.IntN(3) == 0 {
			only = []protocol.CodeActionKind{protocol.Source}
		}
		method, params, result = protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: td,
			Range: protocol.Range{Start: pos, End: end}, Context: protocol.CodeActionContext{Only: only}}, new([]protocol.CodeAction)
	case 3:
		method, params, result = protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: td}, new([]json.RawMessage)
	default:
		method, params, result = protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocumentPositionParams: tdp}, new([]protocol.FoldingRange)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*waitTimeout)
	defer cancel()
	id, err := st.c.conn.Call(ctx, method, params, result)

	st.mu.Lock()
	defer st.mu.Unlock()
	st.requests++
	outcome := "result"
	if err != nil {
		outcome = err.Error()
	}
	if prev, dup := st.replies[id]; dup {
		st.failures = append(st.failures, fmt.Sprintf("id %v used twice (%s, %s)", id, prev, outcome))
	}
	st.replies[id] = outcome
	_, immediate, held := stressCancel(id)
	switch {
	case (immediate || held) && rpcCode(err) == protocol.CodeRequestCancelled:
		st.cancelledErr++
	case immediate && err == nil:
		st.cancelledOK++
	case held && err == nil:
		st.failures = append(st.failures, fmt.Sprintf("%s (id %v): cancelled while the server held it, yet answered with a result", method, id))
	case err != nil:
		st.failures = append(st.failures, fmt.Sprintf("%s (id %v, cancelled %v): %v", method, id, immediate || held, err))
	}
}

func (st *stressClient) checkReplies() {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, f := range st.failures {
		if i == 20 {
			st.t.Errorf("… and %d more failed requests", len(st.failures)-i)
			break
		}
		st.t.Errorf("request failed: %s", f)
	}
}

// lastPublish returns each document's last publish with a version (the
// empty publish on close has none).
func (st *stressClient) lastPublish() map[string]publishParams {
	st.c.mu.Lock()
	defer st.c.mu.Unlock()
	last := map[string]publishParams{}
	for _, p := range st.c.publishes {
		if p.Version != nil {
			last[string(p.URI)] = p
		} else {
			delete(last, string(p.URI))
		}
	}
	return last
}

// waitSettled waits until every document's last publish is for its
// current version with the expected diagnostics. It fails when nothing is
// published for 3*waitTimeout (not after a fixed time: on a loaded machine
// the server may be slow, but a server that stops publishing is stuck).
func (st *stressClient) waitSettled(docs []*stressDoc, expect map[string][]protocol.Diagnostic, when string) {
	st.t.Helper()
	deadline, seen := time.Now().Add(3*waitTimeout), -1
	for {
		st.c.mu.Lock()
		changed := st.c.changed
		if n := len(st.c.publishes); n != seen {
			seen, deadline = n, time.Now().Add(3*waitTimeout)
		}
		st.c.mu.Unlock()
		last := st.lastPublish()
		var wrong []string
		for _, d := range docs {
			p, ok := last[d.uri]
			switch {
			case !ok:
				wrong = append(wrong, d.uri+": nothing published")
			case *p.Version != d.version:
				wrong = append(wrong, fmt.Sprintf("%s: last published version %d, final version %d", d.uri, *p.Version, d.version))
			default:
				if diff := diffDiagnostics(p.Diagnostics, expect[d.uri]); diff != "" {
					wrong = append(wrong, fmt.Sprintf("%s version %d: %s\n--- text:\n%s", d.uri, d.version, diff, d.text))
				}
			}
		}
		if len(wrong) == 0 {
			return
		}
		if time.Now().After(deadline) {
			st.t.Fatalf("%s, nothing published for %v and %d of %d documents do not show what rules.Check finds, e.g.\n%s",
				when, 3*waitTimeout, len(wrong), len(docs), wrong[0])
		}
		select {
		case <-changed:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkLog checks the complete log of publishes: versions never go back,
// and each document's last publish is its final version, as expected.
func (st *stressClient) checkLog(docs []*stressDoc, expect map[string][]protocol.Diagnostic) {
	st.c.mu.Lock()
	highest := map[string]int32{}
	for _, p := range st.c.publishes {
		if p.Version == nil {
			continue
		}
		uri := string(p.URI)
		if h, ok := highest[uri]; ok && *p.Version < h {
			st.t.Errorf("%s: version %d published after version %d", uri, *p.Version, h)
		}
		highest[uri] = max(highest[uri], *p.Version)
	}
	st.c.mu.Unlock()
	last := st.lastPublish()
	for _, d := range docs {
		p, ok := last[d.uri]
		if !ok || *p.Version != d.version {
			st.t.Errorf("%s: the last publish is not for the final version %d", d.uri, d.version)
			continue
		}
		if diff := diffDiagnostics(p.Diagnostics, expect[d.uri]); diff != "" {
			st.t.Errorf("%s: the last publish differs from rules.Check: %s", d.uri, diff)
		}
	}
}

// expectedDiagnostics is what the server must publish for text in dir with
// the final settings: rules.Check with the options the config package
// builds from the workspace file, initializationOptions and settings,
// converted to LSP ranges independently of lineindex.
func expectedDiagnostics(t *testing.T, text, dir string) []protocol.Diagnostic {
	t.Helper()
	var file *config.Config
	if p := config.Find(dir); p != "" {
		f, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		file = f
	}
	initCfg, err := config.Parse([]byte(stressInitSettings), "initializationOptions")
	if err != nil {
		t.Fatal(err)
	}
	final := stressSettings[len(stressSettings)-1]
	var wrapped map[string]json.RawMessage
	if json.Unmarshal([]byte(final), &wrapped) == nil && wrapped["entitlint"] != nil {
		final = string(wrapped["entitlint"])
	}
	settings, err := config.Parse([]byte(final), "LSP settings")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := config.Merge(config.Merge(file, initCfg), settings).Options()
	if err != nil {
		t.Fatal(err)
	}
	var out []protocol.Diagnostic
	for _, f := range rules.Check([]byte(text), opts).Findings {
		if f.Severity == rules.Off {
			continue
		}
		r := protocol.Range{}
		if f.Span.IsValid() {
			r = protocol.Range{Start: utf16Pos(text, f.Span.Start), End: utf16Pos(text, f.Span.End)}
		}
		out = append(out, protocol.Diagnostic{Range: r, Severity: severity(f.Severity), Code: f.Rule, Message: f.Message})
	}
	return out
}

// checkAgainstCLI writes every document's final text to its path and runs
// `entitlint check` over the workspace with flags saying what the final
// editor settings say: the CLI must report what the server published, file
// by file (rule, severity, message and start line; the CLI's columns count
// code points, the server's UTF-16 units).
func checkAgainstCLI(t *testing.T, root string, docs []*stressDoc, expect map[string][]protocol.Diagnostic) {
	t.Helper()
	if CheckCLI == nil {
		t.Fatal("CheckCLI is not set (lsp/cli_parity_test.go)")
	}
	paths := map[string]*stressDoc{}
	for _, d := range docs {
		p, ok := uriPath(d.uri)
		if !ok {
			t.Fatalf("not a file URI: %s", d.uri)
		}
		if err := os.WriteFile(p, []byte(d.text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths[p] = d
	}
	// stressSettings' last entry, as flags.
	out, code := CheckCLI("check", "--format", "json", "--platform", "macos", "--rule", "empty-value=off", root)
	if code != 0 && code != 1 {
		t.Fatalf("entitlint check: exit %d: %s", code, out)
	}
	var rep struct {
		Findings []struct {
			File, Rule, Severity, Message string
			Range                         struct{ Start struct{ Line int } }
		}
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("entitlint check --format json: %v", err)
	}
	key := func(line int, rule, sev, msg string) string { return fmt.Sprintf("%d %s %s %s", line, rule, sev, msg) }
	got := map[string][]string{}
	for _, f := range rep.Findings {
		if paths[f.File] == nil {
			t.Fatalf("the CLI reports a file that is not a document: %s", f.File)
		}
		got[f.File] = append(got[f.File], key(f.Range.Start.Line-1, f.Rule, f.Severity, f.Message))
	}
	names := map[protocol.DiagnosticSeverity]string{protocol.DiagnosticSeverityError: "error", protocol.DiagnosticSeverityWarning: "warning",
		protocol.DiagnosticSeverityInformation: "info", protocol.DiagnosticSeverityHint: "hint"}
	bad := 0
	for p, d := range paths {
		var want []string
		for _, diag := range expect[d.uri] {
			want = append(want, key(int(diag.Range.Start.Line), fmt.Sprint(diag.Code), names[diag.Severity], diag.Message))
		}
		g := got[p]
		slices.Sort(g)
		slices.Sort(want)
		if !slices.Equal(g, want) {
			bad++
		}
		if !slices.Equal(g, want) && bad <= 3 {
			t.Errorf("%s: entitlint check reports\n  %s\nthe server published\n  %s", p, strings.Join(g, "\n  "), strings.Join(want, "\n  "))
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d documents: entitlint check and the server disagree", bad, len(docs))
		return
	}
	t.Logf("entitlint check over the %d final documents: %d findings, the same as the server's", len(docs), len(rep.Findings))
}

// diffDiagnostics compares rule, range, severity and message.
func diffDiagnostics(got, want []protocol.Diagnostic) string {
	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(got):
			return fmt.Sprintf("%d diagnostics, want %d; missing %v %v %q", len(got), len(want), want[i].Code, want[i].Range, want[i].Message)
		case i >= len(want):
			return fmt.Sprintf("%d diagnostics, want %d; extra %v %v %q", len(got), len(want), got[i].Code, got[i].Range, got[i].Message)
		}
		g, w := got[i], want[i]
		if fmt.Sprint(g.Code) != fmt.Sprint(w.Code) || g.Range != w.Range || g.Message != w.Message || g.Severity != w.Severity {
			return fmt.Sprintf("diagnostic %d is %v %v %v %q, want %v %v %v %q", i, g.Code, g.Severity, g.Range, g.Message, w.Code, w.Severity, w.Range, w.Message)
		}
	}
	return ""
}

// stressDoc is the client's model of one document: entries of the root
// dict, plus noise that breaks the XML until a "fix" removes it.
type stressDoc struct {
	uri string
	dir string

	mu      sync.Mutex // the editor and the requesters
	rnd     *rand.Rand // the owning editor's
	entries []string
	noise   []noise
	version int32
	text    string // as last sent
}

// noise is a fragment inserted at a relative position (cut: the text is
// truncated there).
type noise struct {
	at   float64
	text string
	cut  bool
}

const stressHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
`

func (d *stressDoc) render() string {
	var b strings.Builder
	b.WriteString(stressHeader)
	for _, e := range d.entries {
		b.WriteString(e)
	}
	b.WriteString("</dict>\n</plist>\n")
	text := b.String()
	for _, n := range d.noise {
		at := int(n.at * float64(len(text)))
		for at > 0 && at < len(text) && !isRuneStart(text[at]) {
			at--
		}
		if n.cut {
			text = text[:at]
		} else {
			text = text[:at] + n.text + text[at:]
		}
	}
	return text
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Fragments that break the XML, or add text the rules must cope with.
var noiseFragments = []string{
	"<", ">", "</dict>", "<dict>", "<key>", "</key>", "&bogus;", "&#xD800;", "<!-- a -- b -->", "]]>",
	"<string>未闭合", "\x00", "😀", "日本語のテキスト", "<key>重复</key><true/><key>重复</key><false/>",
	"<![CDATA[x]]>", "<?pi x?>", "<!DOCTYPE x>", "\t\t\n\n", "<true/>", "\uFEFF", "<integer>99999999999999999999999</integer>",
}

func (d *stressDoc) mutate(gen *docGen) {
	rnd := d.rnd
	switch op := rnd.IntN(20); {
	case op < 5 && len(d.entries) < 25: // insert an entry
		d.entries = slices.Insert(d.entries, rnd.IntN(len(d.entries)+1), gen.entry(rnd))
	case op < 8 && len(d.entries) > 0: // delete one
		i := rnd.IntN(len(d.entries))
		d.entries = slices.Delete(d.entries, i, i+1)
	case op < 10 && len(d.entries) > 0: // duplicate one (duplicate key)
		d.entries = slices.Insert(d.entries, rnd.IntN(len(d.entries)+1), d.entries[rnd.IntN(len(d.entries))])
	case op < 12 && len(d.entries) > 0: // replace one
		d.entries[rnd.IntN(len(d.entries))] = gen.entry(rnd)
	case op < 15: // break the XML
		n := noise{at: rnd.Float64(), text: noiseFragments[rnd.IntN(len(noiseFragments))]}
		if rnd.IntN(6) == 0 {
			n.cut = true
		}
		d.noise = append(d.noise, n)
	case op < 18: // fix it
		d.noise = nil
	case len(d.entries) < 30: // an emoji or CJK entry
		d.entries = append(d.entries, fmt.Sprintf("\t<key>%s</key>\n\t<string>%s</string>\n",
			gen.pick(rnd, []string{"com.apple.developer.😀", "键", "com.example.日本語", "com.apple.security.application-groups"}),
			gen.pick(rnd, []string{"group.😀.app", "中文", "𝄞𝄞", ""})))
	}
}

// docGen makes entries from the catalog: real keys with right and wrong
// values, hallucinated keys, private and unknown ones.
type docGen struct {
	keys   []string
	values map[string][]string
}

func newDocGen(seed uint64) *docGen {
	g := &docGen{values: map[string][]string{}}
	c := catalog.Builtin()
	all := c.Keys()
	rnd := rand.New(rand.NewPCG(seed, 4_000_000))
	rnd.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for _, k := range all[:min(len(all), 80)] {
		g.keys = append(g.keys, k.Key)
		for _, v := range k.Values {
			g.values[k.Key] = append(g.values[k.Key], v.Value)
		}
	}
	for _, h := range c.Hallucinations()[:min(len(c.Hallucinations()), 15)] {
		g.keys = append(g.keys, h.Key)
	}
	g.keys = append(g.keys, "aps-environment", "com.apple.security.app-sandbox", "com.apple.security.application-groups",
		"com.apple.developer.associated-domains", "com.apple.private.tcc.allow", "com.example.unknown", "", "com.apple.developer.team-identifier")
	return g
}

func (g *docGen) pick(rnd *rand.Rand, from []string) string { return from[rnd.IntN(len(from))] }

func (g *docGen) entry(rnd *rand.Rand) string {
	key := g.pick(rnd, g.keys)
	str := "group.com.example.app"
	if vs := g.values[key]; len(vs) > 0 && rnd.IntN(4) != 0 {
		str = g.pick(rnd, vs)
	} else if rnd.IntN(3) == 0 {
		str = g.pick(rnd, []string{"", "*", "$(TeamIdentifierPrefix)com.example", "ABCDE12345.com.example", "development", "applinks:example.com", "group.😀"})
	}
	var value string
	switch rnd.IntN(8) {
	case 0:
		value = "<true/>"
	case 1:
		value = "<false/>"
	case 2, 3:
		value = "<string>" + str + "</string>"
	case 4, 5:
		value = "<array>\n\t\t<string>" + str + "</string>\n\t</array>"
	case 6:
		value = "<array/>"
	default:
		value = "<dict>\n\t\t<key>inner</key>\n\t\t<integer>3</integer>\n\t</dict>"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "\t<key>%s</key>\n\t%s\n", key, value)
	return b.String()
}
