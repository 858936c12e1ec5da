package lsp

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// documents are the open documents, keyed by the URI string exactly as the
// client sent it (normalising would break untitled: and other schemes, and
// the client matches publishes by its own string).
type documents struct {
	mu sync.Mutex
	m  map[string]*document
}

// document is one open document. Its analysis runs on a goroutine of its
// own, on the latest snapshot only.
type document struct {
	mu       sync.Mutex
	snap     *snapshot // latest version
	analysed *snapshot // last snapshot the analysis goroutine took
	running  bool      // an analysis goroutine is active
	closed   bool

	pubMu sync.Mutex // orders publishes (analysis vs. the empty one on close)

	// spare is the memory of a parse tree that nothing uses any more: the
	// next version's parse builds its tree there (plistxml.Arena).
	spare *plistxml.Arena
	// spareText is the text of a version nothing uses any more: the next
	// edit builds the new text there (textsync.ApplyInto), so a keystroke
	// in a 5 MB document does not allocate 5 MB.
	spareText []byte
}

// keepSpare keeps the memory of a dead snapshot's tree for the next parse.
func (d *document) keepSpare(a *plistxml.Arena) {
	d.mu.Lock()
	if !d.closed {
		d.spare = a
	}
	d.mu.Unlock()
}

// keepSpareText keeps a dead snapshot's text for the next edit.
func (d *document) keepSpareText(text []byte) {
	d.mu.Lock()
	if !d.closed {
		d.spareText = text
	}
	d.mu.Unlock()
}

// takeSpareText hands the spare text's memory to an edit (nil if none).
func (d *document) takeSpareText() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.spareText
	d.spareText = nil
	return t
}

// takeSpare hands the spare memory to a parse (nil if there is none).
func (d *document) takeSpare() *plistxml.Arena {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.spare
	d.spare = nil
	return a
}

// snapshot is one version of a document with the configuration in force.
// It is immutable; derived data is computed once, on first use, by
// whichever goroutine needs it first (analysis, hover, code actions).
//
// Its parse tree and its text live in memory that the next versions reuse
// once no one uses them: whoever uses the tree, the text or strings taken
// from them holds a reference (acquire, release). The document holds one
// while the snapshot is its latest; s.snapshot and the analysis loop take
// theirs under the document's lock, so a released snapshot is never taken
// again; a request keeps its own until its reply is written
// (requestSnapshot). The line index is not reused.
type snapshot struct {
	uri     string
	version int32
	text    []byte
	conf    *resolved
	run     func(*plistxml.Document, rules.Options) []rules.Finding

	owner *document // nil for a snapshot outside the document table (tests)
	refs  atomic.Int32

	linesOnce sync.Once
	lines     *lineindex.Index

	parseOnce sync.Once
	doc       *plistxml.Document

	findOnce sync.Once
	findings []rules.Finding
	crash    *crash // a panic from the parser or a rule
	// How long the parse (when analysis ran it) and the rules took, for
	// the debug log.
	parseTook, rulesTook time.Duration
}

// crash is a recovered panic with the stack where it happened.
type crash struct {
	value any
	stack []byte
}

// acquire takes a reference to the snapshot's tree; see release.
func (s *snapshot) acquire() *snapshot {
	s.refs.Add(1)
	return s
}

// release drops a reference. The last one gives the tree's memory to the
// document for its next parse, and the text's to its next edit: neither
// may be used after that, nor any string taken from them.
func (s *snapshot) release() {
	if s.refs.Add(-1) > 0 || s.owner == nil {
		return
	}
	// Every user released it after using it (the atomic orders that), so
	// the tree and the text are complete and unused.
	if s.doc != nil {
		if a := s.doc.TakeArena(); a != nil {
			s.owner.keepSpare(a)
		}
	}
	s.owner.keepSpareText(s.text)
	s.text = nil
}

func (s *snapshot) index() *lineindex.Index {
	s.linesOnce.Do(func() { s.lines = lineindex.New(s.text) })
	return s.lines
}

// tooLarge reports whether the document exceeds the configured size limit;
// such documents get the rules' one "not analysed" finding and no other
// features.
func (s *snapshot) tooLarge() bool {
	limit := s.conf.opts.MaxFileSize
	if limit <= 0 {
		limit = rules.DefaultMaxFileSize
	}
	return int64(len(s.text)) > limit
}

// catalog is the catalog the rules check this document against (the
// built-in one plus the config's extra catalogs); hovers and completions
// use it too, so they agree with the diagnostics.
func (s *snapshot) catalog() *catalog.Catalog {
	if c := s.conf.opts.Catalog; c != nil {
		return c
	}
	return catalog.Builtin()
}

// parsed returns the parse tree (nil for a document that is too large, or
// when the parser panicked).
func (s *snapshot) parsed() *plistxml.Document {
	s.parseOnce.Do(func() {
		if s.tooLarge() {
			return
		}
		defer func() {
			if p := recover(); p != nil {
				s.crash = &crash{p, debug.Stack()}
				s.doc = nil
			}
		}()
		var spare *plistxml.Arena
		if s.owner != nil {
			spare = s.owner.takeSpare()
		}
		s.doc = plistxml.ParseReusing(s.text, spare)
	})
	return s.doc
}

// analysis returns the findings, running the rules once per snapshot. A
// panic is returned instead of crashing the server.
func (s *snapshot) analysis() ([]rules.Finding, *crash) {
	s.findOnce.Do(func() {
		if s.tooLarge() {
			// Exactly what the CLI reports for such a file.
			s.findings = rules.Check(s.text, s.conf.opts).Findings
			return
		}
		start := time.Now()
		doc := s.parsed()
		s.parseTook = time.Since(start)
		if doc == nil {
			return
		}
		defer func() {
			if p := recover(); p != nil {
				s.crash = &crash{p, debug.Stack()}
				s.findings = nil
			}
			s.rulesTook = time.Since(start) - s.parseTook
		}()
		s.findings = s.run(doc, s.conf.opts)
	})
	return s.findings, s.crash
}

// newSnapshot takes ownership of text.
func (s *server) newSnapshot(uri string, version int32, text []byte) *snapshot {
	run := rules.Run
	if s.hooks.run != nil {
		run = s.hooks.run
	}
	return &snapshot{uri: uri, version: version, text: text, conf: s.configs.forURI(uri), run: run}
}

// requestSnapshot returns the latest snapshot of an open document for a
// request, or nil. The request holds it until its reply is written, not
// just until its handler returns: replies carry strings that are views of
// the snapshot's text and tree (key names, values), and the protocol
// dispatcher encodes the reply after the handler has returned. Outside a
// request (no refs in ctx) the snapshot is simply never released, which
// only keeps its memory from being reused.
func (s *server) requestSnapshot(ctx context.Context, uri protocol.DocumentURI) *snapshot {
	snap := s.snapshot(uri)
	if snap != nil {
		if refs, ok := ctx.Value(requestRefsKey{}).(*requestRefs); ok {
			refs.add(snap)
		}
	}
	return snap
}

// requestRefs are the snapshots one request holds; see requestSnapshot.
type requestRefs struct {
	mu    sync.Mutex
	snaps []*snapshot
}

type requestRefsKey struct{}

// withRequestRefs gives a request's context a place for its snapshots.
func withRequestRefs(ctx context.Context) (context.Context, *requestRefs) {
	refs := &requestRefs{}
	return context.WithValue(ctx, requestRefsKey{}, refs), refs
}

func (r *requestRefs) add(snap *snapshot) {
	r.mu.Lock()
	r.snaps = append(r.snaps, snap)
	r.mu.Unlock()
}

// releaseAll releases every snapshot the request took, once its reply is
// written.
func (r *requestRefs) releaseAll() {
	r.mu.Lock()
	snaps := r.snaps
	r.snaps = nil
	r.mu.Unlock()
	for _, snap := range snaps {
		snap.release()
	}
}

// snapshot returns the latest snapshot of an open document, or nil. It is
// acquired: the caller releases it when done with its tree and text
// (requests use requestSnapshot).
func (s *server) snapshot(uri protocol.DocumentURI) *snapshot {
	s.docs.mu.Lock()
	d := s.docs.m[string(uri)]
	s.docs.mu.Unlock()
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.snap == nil {
		return nil
	}
	return d.snap.acquire()
}

// update installs a new snapshot and schedules its analysis.
// It takes ownership of text: the text cut out of a frame is used as is.
func (s *server) update(uri string, version int32, text []byte) {
	snap := s.newSnapshot(uri, version, text)
	s.gc.set(uri, len(text))
	s.docs.mu.Lock()
	d := s.docs.m[uri]
	if d == nil {
		d = &document{}
		s.docs.m[uri] = d
	}
	s.docs.mu.Unlock()
	snap.owner = d
	snap.refs.Store(1) // the document's
	d.mu.Lock()
	old := d.snap
	d.snap = snap
	d.mu.Unlock()
	if old != nil {
		old.release()
	}
	if ce := s.log.Check(zap.DebugLevel, "document"); ce != nil { // no fields built when off
		ce.Write(zap.String("uri", uri), zap.Int32("version", version), zap.Int("bytes", len(snap.text)))
	}
	s.schedule(d)
}

// DidOpen starts tracking a document.
func (s *server) DidOpen(_ context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	s.update(string(td.URI), td.Version, []byte(td.Text))
	return nil
}

// DidChange is not how changes arrive: v0.12's change event cannot tell
// an edit at 0:0 from a whole new text, so notification decodes didChange
// itself (didChangeParams) and calls didChange. It exists for the
// protocol.Server interface.
func (s *server) DidChange(context.Context, *protocol.DidChangeTextDocumentParams) error {
	return errors.New("didChange is decoded by the read loop, not the protocol dispatcher")
}

// didChange applies a didChange notification's content changes to the
// latest version of the document. Only the read loop changes texts, so the
// version read here is still the latest when the new one is installed.
func (s *server) didChange(params *didChangeParams) {
	uri := string(params.TextDocument.URI)
	if len(params.ContentChanges) == 0 {
		return
	}
	var base *snapshot
	s.docs.mu.Lock()
	d := s.docs.m[uri]
	s.docs.mu.Unlock()
	if d != nil {
		d.mu.Lock()
		base = d.snap
		d.mu.Unlock()
	}
	var text []byte
	var index *lineindex.Index
	if base != nil {
		text = base.text
		if params.ContentChanges[0].Range != nil {
			index = base.index()
		}
	} else if params.ContentChanges[0].Range != nil {
		// An edit to a document the server never saw: there is nothing
		// to apply it to (a change with the whole text would do).
		s.log.Warn("didChange with a range for a document that is not open", zap.String("uri", uri))
		return
	}
	var spare []byte
	if d != nil {
		spare = d.takeSpareText()
	}
	s.update(uri, params.TextDocument.Version, applyChanges(spare, text, index, params.ContentChanges))
}

// DidClose forgets the document and clears its diagnostics.
func (s *server) DidClose(_ context.Context, params *protocol.DidCloseTextDocumentParams) error {
	uri := string(params.TextDocument.URI)
	s.docs.mu.Lock()
	d := s.docs.m[uri]
	delete(s.docs.m, uri)
	s.gc.set(uri, -1)
	s.docs.mu.Unlock()
	if d == nil {
		return nil
	}
	d.mu.Lock()
	d.closed = true
	last := d.snap
	d.snap, d.spare = nil, nil
	d.mu.Unlock()
	if last != nil {
		last.release()
	}
	d.pubMu.Lock()
	s.publish(uri, nil, nil)
	d.pubMu.Unlock()
	return nil
}

// reconfigureAll re-resolves the configuration of every open document and
// re-checks it (same text and version, new settings).
func (s *server) reconfigureAll() {
	s.docs.mu.Lock()
	docs := make([]*document, 0, len(s.docs.m))
	for _, d := range s.docs.m {
		docs = append(docs, d)
	}
	s.docs.mu.Unlock()
	for _, d := range docs {
		d.mu.Lock()
		old := d.snap
		d.mu.Unlock()
		if old == nil {
			continue
		}
		// A copy of the text: each snapshot gives its own to the next edit
		// when released, and the old one may still be in use.
		snap := &snapshot{uri: old.uri, version: old.version, text: slices.Clone(old.text), conf: s.configs.forURI(old.uri), run: old.run, owner: d}
		snap.refs.Store(1) // the document's
		d.mu.Lock()
		replaced := d.snap == old
		if replaced {
			d.snap = snap
		}
		d.mu.Unlock()
		if replaced {
			old.release()
		}
		s.schedule(d)
	}
}

// uriPath converts a file: URI to a path. Other schemes (untitled:, git:)
// have no path; uri.URI.Filename would panic on them.
func uriPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	p := u.Path
	// file:///C:/x → C:/x on Windows.
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.FromSlash(p), true
}
