package lsp

import (
	"bytes"
	"encoding/json"
	"testing"

	sjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func BenchmarkDecodeDidChange(b *testing.B) {
	text := genPlist(1 << 20)
	params := &protocol.DidChangeTextDocumentParams{ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: text}}}
	n, _ := jsonrpc2.NewNotification("textDocument/didChange", params)
	frame, _ := json.Marshal(n)
	b.Run("DecodeMessage", func(b *testing.B) {
		b.SetBytes(int64(len(frame)))
		for i := 0; i < b.N; i++ {
			if _, err := jsonrpc2.DecodeMessage(frame); err != nil {
				b.Fatal(err)
			}
		}
	})
	msg, _ := jsonrpc2.DecodeMessage(frame)
	raw := msg.(*jsonrpc2.Notification).Params()
	b.Run("params-segmentio", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for i := 0; i < b.N; i++ {
			var p protocol.DidChangeTextDocumentParams
			dec := sjson.NewDecoder(bytes.NewReader(raw))
			if err := dec.Decode(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("params-stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for i := 0; i < b.N; i++ {
			var p protocol.DidChangeTextDocumentParams
			if err := json.Unmarshal(raw, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
