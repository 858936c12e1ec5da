package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	sjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/rules"
)

// genPlist writes a synthetic entitlements file of about size bytes, like
// lspbench's --gen: real keys first, then synthetic keys of every type.
func genPlist(size int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>$(AppIdentifierPrefix)com.example.app</string>\n\t</array>\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "\t<key>com.example.synthetic.%06d</key>\n", i)
		switch i % 5 {
		case 0:
			b.WriteString("\t<true/>\n")
		case 1:
			fmt.Fprintf(&b, "\t<string>value-%d</string>\n", i)
		case 2:
			fmt.Fprintf(&b, "\t<integer>%d</integer>\n", i)
		case 3:
			fmt.Fprintf(&b, "\t<array>\n\t\t<string>a%d</string>\n\t\t<string>b%d</string>\n\t</array>\n", i, i)
		case 4:
			fmt.Fprintf(&b, "\t<dict>\n\t\t<key>k</key>\n\t\t<false/>\n\t</dict>\n")
		}
	}
	b.WriteString("</dict>\n</plist>\n")
	return b.String()
}

// BenchmarkChangeToDiagnostics measures what a user waits for: a full-text
// didChange sent over the wire until its publishDiagnostics arrives.
func BenchmarkChangeToDiagnostics(b *testing.B) {
	for _, size := range []int{2 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			c := startServer(b, hooks{run: rules.Run})
			c.initialize(nil)
			uri := "file:///tmp/bench.entitlements"
			text := genPlist(size)
			mid := strings.Index(text[len(text)/2:], "\n") + len(text)/2 + 1
			broken := text[:mid] + "&" + text[mid:]
			c.open(uri, text, 1)
			c.waitVersion(uri, 1)
			b.SetBytes(int64(len(text)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v := int32(i + 2)
				if i%2 == 0 {
					c.change(uri, broken, v)
				} else {
					c.change(uri, text, v)
				}
				c.waitVersion(uri, v)
			}
		})
	}
}

// BenchmarkAnalysis is the server-side work per change, without the wire.
func BenchmarkAnalysis(b *testing.B) {
	s := &server{configs: newConfigStore(nil)}
	for _, size := range []int{2 << 10, 1 << 20} {
		text := []byte(genPlist(size))
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				snap := s.newSnapshot("file:///tmp/x.entitlements", 1, text)
				_ = s.diagnostics(snap, nil)
			}
		})
	}
}

func BenchmarkInitialize(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := &server{configs: newConfigStore(nil)}
		if _, err := s.Initialize(context.Background(), &protocol.InitializeParams{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeDidChange compares decoding a 1 MB didChange the
// normal way with the fast path that cuts the text out first.
func BenchmarkDecodeDidChange(b *testing.B) {
	text := genPlist(1 << 20)
	params := &didChangeParams{ContentChanges: []changeEvent{{Text: text}}}
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
	b.Run("cut", func(b *testing.B) {
		// As VS Code writes it: JSON.stringify escapes no '<' or '>'
		// (encoding/json writes \u003c), which the fast path decodes in
		// place. Each round decodes a fresh copy (the copy is timed too).
		var vscode bytes.Buffer
		enc := json.NewEncoder(&vscode)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(n); err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, vscode.Len())
		b.SetBytes(int64(len(buf)))
		for i := 0; i < b.N; i++ {
			copy(buf, vscode.Bytes())
			small, _, res := cutDocumentText(buf)
			if res != cutDone {
				b.Fatal("not cut")
			}
			if _, err := jsonrpc2.DecodeMessage(small); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("params-stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for i := 0; i < b.N; i++ {
			var p didChangeParams
			if err := json.Unmarshal(raw, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
