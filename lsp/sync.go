package lsp

import (
	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/textsync"
)

// The server asks for incremental sync: a keystroke in a 1 MB document then
// crosses the pipe as a few bytes instead of the whole text, which the
// client would have to encode and the server to read and decode on every
// change. Clients may still send the whole text (a change without a range).

// didChangeParams is protocol.DidChangeTextDocumentParams with a change
// event whose range is a pointer: v0.12's is a plain struct, so a change
// that replaces the whole document cannot be told from an insertion at 0:0.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []changeEvent                            `json:"contentChanges"`
}

// changeEvent is one content change: Text replaces Range, or the whole
// document when Range is nil. (rangeLength is deprecated and ignored: the
// range says the same, in the units the client and server agreed on.)
type changeEvent struct {
	Range *protocol.Range `json:"range,omitempty"`
	Text  string          `json:"text"`
}

// applyChanges applies a didChange's changes to text, in dst's memory if it
// is large enough (see textsync.ApplyInto; index is text's line index or
// nil).
func applyChanges(dst, text []byte, index *lineindex.Index, events []changeEvent) []byte {
	return textsync.ApplyInto(dst, text, index, toChanges(events))
}

// toChanges converts protocol change events to textsync's changes.
func toChanges(events []changeEvent) []textsync.Change {
	changes := make([]textsync.Change, len(events))
	for i, e := range events {
		changes[i].Text = e.Text
		if r := e.Range; r != nil {
			changes[i].Range = &textsync.Range{
				Start: textsync.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)},
				End:   textsync.Position{Line: int(r.End.Line), Character: int(r.End.Character)},
			}
		}
	}
	return changes
}
