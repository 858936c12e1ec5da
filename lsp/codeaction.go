package lsp

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// CodeAction offers each fix of the findings at the requested range as a
// quick fix, plus one source.fixAll.entitlint action applying every safe
// fix. Fixes always come from the analysis of the latest text, never from
// the client's copy of the diagnostics, so their edits are never stale.
func (s *server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	snap := s.requestSnapshot(ctx, params.TextDocument.URI)
	if snap == nil {
		return nil, nil
	}
	if snap.tooLarge() {
		return nil, nil
	}
	findings, crash := snap.analysis()
	if crash != nil {
		return nil, nil
	}
	only := params.Context.Only
	out := []protocol.CodeAction{}
	if kindRequested(only, protocol.QuickFix) {
		want := snap.spanOf(params.Range)
		for i := range findings {
			f := &findings[i]
			if len(f.Fixes) == 0 || f.Severity == rules.Off {
				continue
			}
			if !touches(f.Span, want) && !snap.inContext(f, params.Context.Diagnostics) {
				continue
			}
			diag := snap.diagnostic(f)
			for _, fix := range f.Fixes {
				edits := snap.textEdits(fix.Edits)
				if len(edits) == 0 {
					continue
				}
				out = append(out, protocol.CodeAction{
					Title:       fix.Title,
					Kind:        protocol.QuickFix,
					Diagnostics: []protocol.Diagnostic{diag},
					IsPreferred: fix.Preferred,
					Edit:        snap.workspaceEdit(edits),
				})
			}
		}
	}
	if kindRequested(only, fixAllKind) {
		if a := snap.fixAll(findings); a != nil {
			out = append(out, *a)
		}
	}
	return out, ctx.Err()
}

// kindRequested applies the client's `only` filter: a kind is wanted when
// it equals an entry or is a sub-kind of one ("source" allows
// "source.fixAll.entitlint").
func kindRequested(only []protocol.CodeActionKind, kind protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || strings.HasPrefix(string(kind), string(o)+".") {
			return true
		}
	}
	return false
}

// touches reports whether a finding's span meets the requested span; the
// ends are inclusive so a cursor just after a token still counts. Findings
// without a position sit at offset 0.
func touches(f, want plistxml.Span) bool {
	if !f.IsValid() {
		f = plistxml.Span{}
	}
	return f.Start <= want.End && want.Start <= f.End
}

// inContext reports whether the client sent this finding's diagnostic in
// the request's context (same rule, same range).
func (s *snapshot) inContext(f *rules.Finding, diags []protocol.Diagnostic) bool {
	if len(diags) == 0 {
		return false
	}
	r := s.rangeOf(f.Span)
	for _, d := range diags {
		if code, ok := d.Code.(string); ok && code == f.Rule && d.Range == r {
			return true
		}
	}
	return false
}

func (s *snapshot) workspaceEdit(edits []protocol.TextEdit) *protocol.WorkspaceEdit {
	return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{protocol.DocumentURI(s.uri): edits}}
}

// fixAll applies every safe fix that `entitlint fix` would apply: the
// selection is rules.SafeFixes (one fix per finding, in position order,
// skipping fixes that overlap one already taken), so editor and CLI agree.
func (s *snapshot) fixAll(findings []rules.Finding) *protocol.CodeAction {
	var edits []rules.Edit
	fixes := 0
	for _, fix := range rules.SafeFixes(findings) {
		if !s.editsValid(fix.Edits) {
			continue
		}
		edits = append(edits, fix.Edits...)
		fixes++
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Span.Start < edits[j].Span.Start })
	lspEdits := s.textEdits(edits)
	if len(lspEdits) == 0 {
		return nil
	}
	title := "Fix all safe entitlint problems"
	if fixes > 1 {
		title = fmt.Sprintf("Fix all safe entitlint problems (%d fixes)", fixes)
	}
	return &protocol.CodeAction{Title: title, Kind: fixAllKind, Edit: s.workspaceEdit(lspEdits)}
}

func (s *snapshot) editsValid(edits []rules.Edit) bool {
	for _, e := range edits {
		if !e.Span.IsValid() || e.Span.End > len(s.text) {
			return false
		}
	}
	return true
}
