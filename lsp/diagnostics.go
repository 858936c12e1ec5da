package lsp

import (
	"fmt"
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
			go snap.index()
		}
		start := time.Now()
		diags := s.diagnostics(snap)

		d.pubMu.Lock()
		d.mu.Lock()
		current := d.snap == snap && !d.closed
		d.mu.Unlock()
		if current {
			v := snap.version
			s.publish(snap.uri, &v, diags)
		}
		d.pubMu.Unlock()
		s.log.Debug("analysed", zap.String("uri", snap.uri), zap.Int32("version", snap.version),
			zap.Int("bytes", len(snap.text)), zap.Int("diagnostics", len(diags)),
			zap.Duration("took", time.Since(start)), zap.Duration("parse", snap.parseTook),
			zap.Duration("rules", snap.rulesTook), zap.Bool("published", current))
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
	err := s.conn.Notify(s.ctx, protocol.MethodTextDocumentPublishDiagnostics,
		&publishParams{URI: protocol.DocumentURI(uri), Version: version, Diagnostics: diags})
	if err != nil {
		s.log.Debug("publishDiagnostics not sent", zap.String("uri", uri), zap.Error(err))
	}
}

// diagnostics computes what to publish for a snapshot.
func (s *server) diagnostics(snap *snapshot) []protocol.Diagnostic {
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
	out := make([]protocol.Diagnostic, 0, len(findings))
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
		Code:     f.Rule,
		Source:   "entitlint",
		Message:  f.Message,
	}
	if r, ok := rules.Lookup(f.Rule); ok {
		d.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(r.DocsURL())}
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
