package lsp

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/entitlint/entitlint/rules"
)

// codeInternalError marks the diagnostic shown when the parser panicked:
// the rules recover from their own panics, the parser may not.
const codeInternalError = "internal-error"

// schedule makes sure the document's latest snapshot gets analysed. There
// is no debounce: the analysis is fast, and the time from a change to its
// diagnostics is what users feel.
func (s *server) schedule(d *document) {
	d.mu.Lock()
	if d.running || d.closed {
		d.mu.Unlock()
		return
	}
	d.running = true
	d.mu.Unlock()
	go s.analyseLoop(d)
}

// analyseLoop analyses the latest snapshot until there is no newer one.
// Versions superseded while being analysed are not published: the client
// would only see them flash by.
func (s *server) analyseLoop(d *document) {
	for {
		d.mu.Lock()
		snap := d.snap
		if d.closed || snap == d.analysed || s.ctx.Err() != nil {
			d.running = false
			d.mu.Unlock()
			return
		}
		d.analysed = snap
		snap.acquire()
		d.mu.Unlock()

		// The line index (needed to convert every finding) does not depend
		// on the parse: build it on the other core meanwhile.
		if len(snap.text) >= bigFrame {
			// With its own reference: the analysis may finish without the
			// index (no findings), and the text must outlive its reading.
			snap.acquire()
			go func() {
				defer snap.release()
				snap.index()
			}()
		}
		start := time.Now()
		buf := diagnosticsScratch.Get().(*[]protocol.Diagnostic)
		diags := s.diagnostics(snap, (*buf)[:0])

		d.pubMu.Lock()
		d.mu.Lock()
		current := d.snap == snap && !d.closed
		d.mu.Unlock()
		if current {
			v := snap.version
			s.publish(snap.uri, &v, diags)
		}
		d.pubMu.Unlock()
		// Check first: the fields of a disabled debug line still cost an
		// allocation per change.
		if ce := s.log.Check(zap.DebugLevel, "analysed"); ce != nil {
			ce.Write(zap.String("uri", snap.uri), zap.Int32("version", snap.version),
				zap.Int("bytes", len(snap.text)), zap.Int("diagnostics", len(diags)),
				zap.Duration("took", time.Since(start)), zap.Duration("parse", snap.parseTook),
				zap.Duration("rules", snap.rulesTook), zap.Bool("published", current))
		}
		putDiagnostics(buf, diags)
		snap.release()
	}
}

// publishParams is protocol.PublishDiagnosticsParams with a version that
// can be 0 (v0.12's is a uint32 with omitempty, which drops version 0) and
// that is left out for the empty publish on close.
type publishParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

func (s *server) publish(uri string, version *int32, diags []protocol.Diagnostic) {
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	err := s.stream.notify(s.ctx, protocol.MethodTextDocumentPublishDiagnostics,
		&publishParams{URI: protocol.DocumentURI(uri), Version: version, Diagnostics: diags})
	if err != nil {
		s.log.Debug("publishDiagnostics not sent", zap.String("uri", uri), zap.Error(err))
	}
}

// diagnosticsScratch holds the slices diagnostics are converted into
// before they are encoded: they are not needed once published, and a
// new slice on every keystroke brought the next collection closer.
var diagnosticsScratch = sync.Pool{New: func() any { return new([]protocol.Diagnostic) }}

// putDiagnostics gives a published slice back to diagnosticsScratch.
func putDiagnostics(buf *[]protocol.Diagnostic, diags []protocol.Diagnostic) {
	if cap(diags) > 1024 {
		return // a large document's: not kept between changes
	}
	clear(diags) // nor are the messages it points to
	*buf = diags[:0]
	diagnosticsScratch.Put(buf)
}

// diagnostics computes what to publish for a snapshot, appending to dst.
func (s *server) diagnostics(snap *snapshot, dst []protocol.Diagnostic) []protocol.Diagnostic {
	findings, crash := snap.analysis()
	if crash != nil {
		s.log.Error("panic while checking a document", zap.String("uri", snap.uri), zap.Any("panic", crash.value),
			zap.ByteString("stack", crash.stack))
		return []protocol.Diagnostic{{
			Severity: protocol.DiagnosticSeverityWarning,
			Code:     codeInternalError,
			Source:   "entitlint",
			Message:  fmt.Sprintf("entitlint failed while checking this file (%v); please report it with the file's content.", crash.value),
		}}
	}
	out := slices.Grow(dst, len(findings))
	for i := range findings {
		if findings[i].Severity == rules.Off {
			continue
		}
		out = append(out, snap.diagnostic(&findings[i]))
	}
	return out
}

// diagnostic converts one finding.
func (s *snapshot) diagnostic(f *rules.Finding) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:    s.rangeOf(f.Span),
		Severity: severity(f.Severity),
		Source:   "entitlint",
		Message:  f.Message,
	}
	if c, ok := ruleCodes()[f.Rule]; ok {
		d.Code, d.CodeDescription = c.code, c.link
	} else {
		d.Code = f.Rule
	}
	if f.Tags&rules.TagUnnecessary != 0 {
		d.Tags = append(d.Tags, protocol.DiagnosticTagUnnecessary)
	}
	if f.Tags&rules.TagDeprecated != 0 {
		d.Tags = append(d.Tags, protocol.DiagnosticTagDeprecated)
	}
	for _, rel := range f.Related {
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: protocol.DocumentURI(s.uri), Range: s.rangeOf(rel.Span)},
			Message:  rel.Message,
		})
	}
	return d
}

// ruleCode is a rule's code and docs link as diagnostics carry them, made
// once: converting the ID to an interface and allocating the link for
// every diagnostic of every change added up. They are shared, read-only.
type ruleCode struct {
	code any
	link *protocol.CodeDescription
}

var ruleCodes = sync.OnceValue(func() map[string]ruleCode {
	m := make(map[string]ruleCode)
	for _, r := range rules.All() {
		m[r.ID] = ruleCode{code: r.ID, link: &protocol.CodeDescription{Href: protocol.URI(r.DocsURL())}}
	}
	return m
})

func severity(sev rules.Severity) protocol.DiagnosticSeverity {
	switch sev {
	case rules.Error:
		return protocol.DiagnosticSeverityError
	case rules.Warning:
		return protocol.DiagnosticSeverityWarning
	case rules.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}
