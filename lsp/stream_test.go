package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

func didChangeFrame(t testing.TB, texts ...string) []byte {
	t.Helper()
	p := didChangeParams{TextDocument: protocol.VersionedTextDocumentIdentifier{
		TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: "file:///x.entitlements"}, Version: 7}}
	for _, s := range texts {
		p.ContentChanges = append(p.ContentChanges, changeEvent{Text: s})
	}
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": protocol.MethodTextDocumentDidChange, "params": p})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkCut verifies that the fast path gives what encoding/json gives.
func checkCut(t testing.TB, frame []byte) bool {
	t.Helper()
	original := bytes.Clone(frame)
	small, text, res := cutDocumentText(frame)
	switch res {
	case cutRefused:
		if !bytes.Equal(frame, original) {
			t.Fatalf("a frame the fast path refused was changed:\n%q\nwas\n%q", frame, original)
		}
		return false
	case cutInvalid:
		var v any
		if json.Unmarshal(original, &v) == nil {
			t.Fatalf("the fast path dropped a frame encoding/json decodes:\n%q", original)
		}
		return false
	}
	frame = original // the text was decoded in place
	var full, cut struct {
		Method string
		Params struct {
			TextDocument   struct{ URI, Text string }
			ContentChanges []map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(frame, &full); err != nil {
		return false // the normal path rejects it too
	}
	if err := json.Unmarshal(small, &cut); err != nil {
		t.Fatalf("small frame does not decode: %v\n%s", err, small)
	}
	want := full.Params.TextDocument.Text
	if n := len(full.Params.ContentChanges); n > 0 {
		// Only a change that replaces the whole text may be cut: an
		// edit (with a range, or without a text) is the server's to apply.
		last := full.Params.ContentChanges[n-1]
		if _, ranged := last["range"]; ranged || last["text"] == nil {
			t.Fatalf("the fast path cut a frame whose last change is an edit: %q", original)
		}
		if err := json.Unmarshal(last["text"], &want); err != nil {
			t.Fatalf("text of the last change: %v", err)
		}
		if len(cut.Params.ContentChanges) != n {
			t.Fatalf("small frame has %d changes, want %d", len(cut.Params.ContentChanges), n)
		}
	}
	if string(text) != want {
		t.Fatalf("fast path text %q, encoding/json %q", text, want)
	}
	if cut.Method != full.Method || cut.Params.TextDocument.URI != full.Params.TextDocument.URI {
		t.Fatalf("small frame lost fields: %+v vs %+v", cut, full)
	}
	return true
}

func TestCutDocumentText(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		ok    bool
	}{
		{"change", string(didChangeFrame(t, "<plist>\n\t<dict/>\n</plist>")), true},
		{"several changes: the last wins", string(didChangeFrame(t, "first", "😀 second \"quoted\" \\ \u2028")), true},
		{"escapes", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"a\n\t\"\\\/\b\f\r\u00e9\ud83d\ude00"}],"textDocument":{"uri":"u","version":1}}}`, true},
		{"white space and key order", "{ \"params\" : { \"textDocument\" : {\"uri\":\"u\",\"version\":2} ,\n \"contentChanges\" : [ { \"rangeLength\": 0, \"text\" : \"x\" } ] } , \"method\" : \"textDocument/didChange\", \"jsonrpc\":\"2.0\" }", true},
		{"an edit is not cut", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"u","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}}`, false},
		{"a whole text after an edit is cut", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"u","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"x"},{"text":"whole"}]}}`, true},
		{"an edit after a whole text is not cut", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"u","version":2},"contentChanges":[{"text":"whole"},{"range":null,"text":"x"}]}}`, false},
		{"a change without a text is not cut", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"u","version":2},"contentChanges":[{"text":"whole"},{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}}}]}}`, false},
		{"open", `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"u","languageId":"xml","version":1,"text":"日本語 <key>"}}}`, true},
		{"other method", `{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"u"},"text":"x"}}`, false},
		{"request", `{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"u"}}}`, false},
		{"lone surrogate: U+FFFD, as encoding/json", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"\ud83d x\udc00\ud83d\u0041"}],"textDocument":{"uri":"u","version":1}}}`, true},
		{"invalid utf-8", "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"contentChanges\":[{\"text\":\"\xff\"}]}}", false},
		{"control character", "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"contentChanges\":[{\"text\":\"a\tb\"}]}}", false},
		{"bad escape", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"\x41"}]}}`, false},
		// Invalid JSON found after escapes were decoded in place: the frame
		// is dropped, as encoding/json rejects it (checkCut verifies).
		// Invalid UTF-8 is refused first, leaving the frame unchanged.
		{"control character after escapes", "{\"method\":\"textDocument/didChange\",\"params\":{\"contentChanges\":[{\"text\":\"a\\n\\t\\\"\\\\\\r\\b\\fz\x01\"}]}}", false},
		{"invalid utf-8 after escapes", "{\"method\":\"textDocument/didChange\",\"params\":{\"contentChanges\":[{\"text\":\"\\n\\t<key>\xc3\\n\"}]}}", false},
		{"bad escape after escapes", `{"method":"textDocument/didChange","params":{"contentChanges":[{"text":"\n\t\"x\q"}]}}`, false},
		{"unicode escape after escapes", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"\n\t\"x\u00e9\n"}],"textDocument":{"uri":"u","version":1}}}`, true},
		{"escaped slash after escapes", `{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"\n\\\/\n"}],"textDocument":{"uri":"u","version":1}}}`, true},
		{"duplicate params", `{"method":"textDocument/didChange","params":{},"params":{"contentChanges":[{"text":"x"}]}}`, false},
		{"text not a string", `{"method":"textDocument/didChange","params":{"contentChanges":[{"text":null}]}}`, false},
		{"escaped method", `{"method":"textDocument\/didChange","params":{"contentChanges":[{"text":"x"}]}}`, false},
		{"truncated", `{"method":"textDocument/didChange","params":{"contentChanges":[{"text":"x`, false},
		{"no changes", `{"method":"textDocument/didChange","params":{"contentChanges":[]}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkCut(t, []byte(tt.frame)); got != tt.ok {
				t.Errorf("cut = %v, want %v", got, tt.ok)
			}
		})
	}
}

func FuzzCutDocumentText(f *testing.F) {
	f.Add([]byte("<plist/>"), true)
	f.Add([]byte("😀\"\\\n\u2028\x7f"), false)
	f.Add([]byte(`{"method":"textDocument/didChange","params":{"contentChanges":[{"text":"\u00e9"}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, asText bool) {
		frame := data
		if asText {
			frame = didChangeFrame(t, string(data))
		}
		checkCut(t, frame)
	})
}

// TestStreamFrames reads frames the way clients write them, and skips
// what does not decode.
func TestStreamFrames(t *testing.T) {
	big := strings.Repeat("<key>😀</key>\n", bigFrame/10)
	var in bytes.Buffer
	write := func(headers, body string) { fmt.Fprintf(&in, "%s\r\n\r\n%s", headers, body) }
	write("Content-Length: 9", "{garbage}")
	write("content-length: 33\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8", `{"jsonrpc":"2.0","method":"ok/1"}`)
	in.WriteString("\r\n")
	write("X-Nothing: 1", "")
	frame := didChangeFrame(t, big)
	write(fmt.Sprintf("Content-Length: %d", len(frame)), string(frame))
	write("Content-Length: 33", `{"jsonrpc":"2.0","method":"ok/2"}`)

	st := newStream(struct {
		io.Reader
		io.Writer
		io.Closer
	}{&in, io.Discard, io.NopCloser(nil)}, zap.NewNop())
	ctx := context.Background()
	var methods []string
	for {
		msg, _, err := st.Read(ctx)
		if err != nil {
			if err != io.EOF {
				t.Fatalf("read: %v", err)
			}
			break
		}
		req := msg.(jsonrpc2.Request)
		methods = append(methods, req.Method())
		if req.Method() == protocol.MethodTextDocumentDidChange {
			text, ok := st.takeText(msg)
			if !ok || string(text) != big {
				t.Errorf("the big text was not cut out (ok=%v, %d bytes)", ok, len(text))
			}
			if len(req.Params()) > 200 {
				t.Errorf("params still hold the text: %d bytes", len(req.Params()))
			}
			if _, again := st.takeText(msg); again {
				t.Errorf("the text was handed out twice")
			}
		}
	}
	if got := strings.Join(methods, " "); got != "ok/1 textDocument/didChange ok/2" {
		t.Errorf("methods = %s", got)
	}
}

// TestBigDocument sends documents over the fast-path size through the
// server: the text must arrive whole, with positions right.
func TestBigDocument(t *testing.T) {
	c := startServer(t, hooks{})
	c.initialize(nil)
	uri := "file:///tmp/big.entitlements"
	filler := strings.Repeat("<!-- 😀 日本 \"quoted\" \\ -->\n", bigFrame/20)
	text := filler + "\t😀 BAD\n"
	c.open(uri, text, 1)
	d := c.waitVersion(uri, 1)
	want := protocol.Range{Start: utf16Pos(text, strings.Index(text, "BAD")), End: utf16Pos(text, strings.Index(text, "BAD")+3)}
	if len(d) != 1 || d[0].Range != want {
		t.Fatalf("open: diagnostics = %+v, want one at %v", d, want)
	}
	text2 := "BAD " + text
	c.change(uri, text2, 2)
	if d := c.waitVersion(uri, 2); len(d) != 2 || d[0].Range != rng(0, 0, 0, 3) {
		t.Fatalf("change: diagnostics = %+v", d)
	}
	var actions []protocol.CodeAction
	c.mustCall(protocol.MethodTextDocumentCodeAction, codeActionParams(uri, rng(0, 0, 0, 0), nil, protocol.QuickFix), &actions)
	if len(actions) == 0 || applyEdits(t, text2, actions[0].Edit.Changes[protocol.DocumentURI(uri)]) != "GOOD "+text {
		t.Errorf("quick fix on the big document: %v", titles(actions))
	}
}

// nopCloser is a buffer that a stream can write to and close.
type nopCloser struct{ bytes.Buffer }

func (*nopCloser) Read([]byte) (int, error) { return 0, io.EOF }
func (*nopCloser) Close() error             { return nil }

// The server writes frames itself (one write, no second pass over a
// notification's params, encoded in reused buffers); the bytes must be
// exactly jsonrpc2's, frame after frame.
func TestWriteMatchesJSONRPC2(t *testing.T) {
	ctx := context.Background()
	must := func(m jsonrpc2.Message, err error) jsonrpc2.Message {
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	diags := &publishParams{URI: "file:///a%20b/é.entitlements", Version: new(int32),
		Diagnostics: []protocol.Diagnostic{{Message: `"<key>" & </dict> 😀 \ é`, Source: "entitlint",
			Range: protocol.Range{Start: protocol.Position{Line: 3, Character: 1}}}}}
	// Notifications, which the server also sends with stream.notify.
	notifications := []struct {
		method string
		params any
	}{
		{protocol.MethodTextDocumentPublishDiagnostics, diags},
		{protocol.MethodTextDocumentPublishDiagnostics, &publishParams{URI: "untitled:1", Diagnostics: []protocol.Diagnostic{}}},
		{"window/logMessage", map[string]any{"type": 3, "message": "a\nb\u2028<>&", "b": strings.Repeat("x", 20<<10)}},
	}
	var messages []jsonrpc2.Message
	for _, n := range notifications {
		messages = append(messages, must(jsonrpc2.NewNotification(n.method, n.params)))
	}
	messages = append(messages,
		must(jsonrpc2.NewNotification("exit", nil)),
		must(jsonrpc2.NewCall(jsonrpc2.NewNumberID(7), "workspace/configuration", map[string]any{"items": []any{}})),
		must(jsonrpc2.NewResponse(jsonrpc2.NewStringID("x"), map[string]string{"contents": "<b>&</b>"}, nil)),
		must(jsonrpc2.NewResponse(jsonrpc2.NewNumberID(1), nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "bad <param>"))),
	)
	var want, got, gotNotify nopCloser
	st, stNotify := newStream(&got, zap.NewNop()), newStream(&gotNotify, zap.NewNop())
	for round := range 2 { // the second round writes into reused buffers
		for _, m := range messages {
			before := got.Len()
			wantFrame := want.Len()
			if _, err := jsonrpc2.NewStream(&want).Write(ctx, m); err != nil {
				t.Fatal(err)
			}
			n, err := st.Write(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := got.String()[before:], want.String()[wantFrame:]; g != w || n != int64(len(g)) {
				t.Errorf("round %d: frame (%d bytes written):\n got %q\nwant %q", round, n, g, w)
			}
		}
		for _, n := range notifications {
			if err := stNotify.notify(ctx, n.method, n.params); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The notify frames, in order, are the first frames of each round.
	var wantNotify strings.Builder
	for range 2 {
		for _, m := range messages[:len(notifications)] {
			var b nopCloser
			_, _ = jsonrpc2.NewStream(&b).Write(ctx, m)
			wantNotify.WriteString(b.String())
		}
	}
	if gotNotify.String() != wantNotify.String() {
		t.Errorf("notify frames:\n got %q\nwant %q", gotNotify.String(), wantNotify.String())
	}
	if got.String() != want.String() {
		t.Error("the frames written one after the other differ from jsonrpc2's")
	}
}

// Publishing a change's diagnostics encodes them into a pooled frame:
// once warm, it allocates nothing (every allocation per keystroke brings
// the next collection, and the slowest keystrokes, closer).
func TestNotifyAllocatesNothing(t *testing.T) {
	var out nopCloser
	st := newStream(&out, zap.NewNop())
	v := int32(7)
	diags := make([]protocol.Diagnostic, 10)
	for i := range diags {
		diags[i] = protocol.Diagnostic{Range: protocol.Range{Start: protocol.Position{Line: uint32(i)}}, Severity: protocol.DiagnosticSeverityWarning,
			Code: "unknown-key", CodeDescription: &protocol.CodeDescription{Href: "https://example.com/rules#unknown-key"},
			Source: "entitlint", Message: `unknown entitlement "com.example.key": not in entitlint's catalog 1.0.0`}
	}
	params := &publishParams{URI: "file:///tmp/App.entitlements", Version: &v, Diagnostics: diags}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		out.Reset()
		if err := st.notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, params); err != nil {
			t.Fatal(err)
		}
	})
	// Under the race detector, sync.Pool drops a quarter of what it is
	// given back, on purpose: some publishes then allocate a new frame.
	if allocs > 0 && !(raceEnabled() && allocs < 1) {
		t.Errorf("notify allocates %.2f times per publish, want 0 (under -race: less than 1)", allocs)
	}
}
