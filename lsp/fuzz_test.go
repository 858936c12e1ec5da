package lsp

import (
	"bufio"
	"bytes"
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile/profiletest"
	"github.com/entitlint/entitlint/rules"
)

// fuzzDoc is a real entitlements file; the fuzz targets open it and hover
// its first key.
const fuzzDoc = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>com.apple.security.application-groups</key>
	<array>
		<string>group.😀.app</string>
	</array>
	<key>com.apple.developer.app-groups</key>
	<true/>
</dict>
</plist>
`

const fuzzURI = "file:///fuzz/App.entitlements"

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

// rpc builds a JSON-RPC message; id is a number, a quoted string, or "" for
// a notification. params is raw JSON ("" leaves it out).
func rpc(id, method, params string) string {
	m, _ := json.Marshal(method)
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0"`)
	if id != "" {
		b.WriteString(`,"id":` + id)
	}
	b.WriteString(`,"method":` + string(m))
	if params != "" {
		b.WriteString(`,"params":` + params)
	}
	b.WriteString("}")
	return b.String()
}

func didOpenParams(uri, text string) string {
	b, _ := json.Marshal(&protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: protocol.DocumentURI(uri), LanguageID: "xml", Version: 1, Text: text}})
	return string(b)
}

const hoverFirstKey = `{"textDocument":{"uri":"` + fuzzURI + `"},"position":{"line":3,"character":12}}`

// fuzzStdio is the server's stdio in FuzzFraming: standard input is the
// fuzz data, then end of file; standard output is collected.
type fuzzStdio struct {
	in  io.Reader
	out syncBuffer
}

func (s *fuzzStdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s *fuzzStdio) Write(p []byte) (int, error) { return s.out.Write(p) }
func (s *fuzzStdio) Close() error                { return nil }

// FuzzFraming feeds arbitrary bytes to the server's standard input. The
// server must not panic, must stop when the input ends (or at exit), and
// everything it writes must be well-formed frames of JSON-RPC.
func FuzzFraming(f *testing.F) {
	session := frame(rpc("1", "initialize", `{"capabilities":{}}`)) +
		frame(rpc("", "initialized", `{}`)) +
		frame(rpc("", "textDocument/didOpen", didOpenParams(fuzzURI, fuzzDoc))) +
		frame(rpc("2", "textDocument/hover", hoverFirstKey)) +
		frame(rpc("3", "textDocument/codeAction", `{"textDocument":{"uri":"`+fuzzURI+`"},"range":{"start":{"line":7,"character":0},"end":{"line":7,"character":40}},"context":{"diagnostics":[]}}`)) +
		frame(rpc("4", "shutdown", "")) +
		frame(rpc("", "exit", ""))
	big := frame(rpc("", "textDocument/didOpen", didOpenParams(fuzzURI, strings.Repeat("<!-- 😀 \"x\" -->\n", bigFrame/16)+fuzzDoc)))
	init := frame(rpc("1", "initialize", `{"capabilities":{}}`))
	for _, seed := range []string{
		session,
		session[:len(session)/2],   // cut mid-frame
		strings.Repeat(session, 2), // a second initialize, requests after exit
		init + big + frame(rpc("2", "textDocument/hover", hoverFirstKey)),
		init + big[:len(big)-100],
		"Content-Len",
		"Content-Length: 12",
		"Content-Length: 99999999999999999999\r\n\r\n{}",
		"Content-Length: 536870911\r\n\r\n{\"jsonrpc\":\"2.0\"",
		"Content-Length: 536870913\r\n\r\n{}",
		"Content-Length: -5\r\n\r\n{}" + init,
		"Content-Length: 0\r\n\r\n" + init,
		"Content-Length: 20\n\n" + rpc("", "initialized", "{}") + init,
		"Content-Length: 20" + rpc("", "exit", ""),
		"content-length:2\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}" + init,
		"Content-Length: 5\r\n\r\nhello" + init,
		frame("null") + frame("[]") + frame(`[{"jsonrpc":"2.0","id":1,"method":"initialize"}]`) + frame(`{"jsonrpc":"2.0","id":{},"method":"x"}`) + init,
		frame(`{"jsonrpc":"2.0","id":1e400,"method":"initialize","params":{}}`) + frame(`{"jsonrpc":"2.0","id":-1,"result":null}`),
		"X-Header: " + strings.Repeat("x", 70<<10) + "\r\n\r\n" + init,
		init + frame(rpc("", "$/cancelRequest", `{"id":1}`)) + frame(rpc("", "exit", "")),
		"\r\n\r\n\r\n" + init + "\x00\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rwc := &fuzzStdio{in: bytes.NewReader(data)}
		done := make(chan error, 1)
		go func() { done <- Serve(context.Background(), rwc, Options{}) }()
		select {
		case <-done:
		case <-time.After(waitTimeout):
			buf := make([]byte, 1<<20)
			t.Fatalf("Serve still running %v after its input ended:\n%s", waitTimeout, buf[:runtime.Stack(buf, true)])
		}
		checkFrames(t, []byte(rwc.out.String()))
	})
}

// checkFrames checks that out is a sequence of frames holding JSON-RPC
// messages. The last frame may be incomplete: a reply being written as the
// server stopped.
func checkFrames(t *testing.T, out []byte) {
	t.Helper()
	for len(out) > 0 {
		head, rest, ok := bytes.Cut(out, []byte("\r\n\r\n"))
		if !ok {
			return // incomplete header at the end
		}
		v, ok := strings.CutPrefix(string(head), "Content-Length: ")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			t.Fatalf("bad header %q in the output", head)
		}
		if len(rest) < n {
			return // incomplete body at the end
		}
		body := rest[:n]
		out = rest[n:]
		var msg struct {
			JSONRPC string           `json:"jsonrpc"`
			ID      *json.RawMessage `json:"id"`
			Method  string           `json:"method"`
			Result  *json.RawMessage `json:"result"`
			Error   *struct {
				Code    *int64 `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &msg); err != nil || msg.JSONRPC != "2.0" {
			t.Fatalf("the server wrote a frame that is not JSON-RPC 2.0: %v\n%s", err, body)
		}
		switch {
		case msg.Method != "": // a notification or a request to the client
		case msg.ID == nil:
			t.Fatalf("a response without id: %s", body)
		case msg.Error != nil && msg.Error.Code == nil:
			t.Fatalf("an error without a code: %s", body)
		case msg.Error == nil && !bytes.Contains(body, []byte(`"result"`)):
			t.Fatalf("a response with neither result nor error: %s", body)
		}
	}
}

// dispatchMethods are the methods FuzzDispatch calls: every one the server
// handles, some it does not, and garbage (the fuzzer also makes up its own).
var dispatchMethods = []string{
	protocol.MethodInitialize, protocol.MethodInitialized, protocol.MethodShutdown, protocol.MethodExit,
	protocol.MethodCancelRequest, "$/setTrace", "$/progress", "$/unknown",
	protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidChange, protocol.MethodTextDocumentDidClose,
	protocol.MethodTextDocumentDidSave, protocol.MethodTextDocumentHover, protocol.MethodTextDocumentCompletion,
	protocol.MethodTextDocumentCodeAction, protocol.MethodTextDocumentDocumentSymbol, protocol.MethodTextDocumentFoldingRange,
	protocol.MethodWorkspaceDidChangeConfiguration, protocol.MethodWorkspaceDidChangeWatchedFiles,
	protocol.MethodTextDocumentDefinition, protocol.MethodCompletionItemResolve, protocol.MethodWorkspaceExecuteCommand,
	protocol.MethodTextDocumentFormatting, "", "textDocument/", "💥", "$/", "initialize\n", "textDocument/hover\x00",
}

// FuzzDispatch sends one arbitrary request or notification to an
// initialized server: any method, any params (wrong types, nulls, huge
// numbers, deep nesting). Every request must be answered exactly once with
// a result or a JSON-RPC error, and the server must go on answering hovers.
func FuzzDispatch(f *testing.F) {
	pos := func(l, c string) string { return `{"line":` + l + `,"character":` + c + `}` }
	td := `{"uri":"` + fuzzURI + `"}`
	for i, params := range []string{
		hoverFirstKey,
		"", "null", "{}", "[]", "0", `"x"`, "true",
		`{"textDocument":` + td + `,"position":` + pos("-1", "-1") + `}`,
		`{"textDocument":` + td + `,"position":` + pos("4294967295", "4294967295") + `}`,
		`{"textDocument":` + td + `,"position":` + pos("1e300", "1.5") + `}`,
		`{"textDocument":` + td + `,"position":` + pos("99999999999999999999999", "0") + `}`,
		`{"textDocument":{"uri":null},"position":null}`,
		`{"textDocument":{"uri":123},"position":"here"}`,
		`{"textDocument":` + td + `,"range":{"start":` + pos("9", "0") + `,"end":` + pos("0", "0") + `},"context":{"diagnostics":[{"code":{"x":1},"range":null}],"only":[null,1]}}`,
		`{"textDocument":{"uri":"` + fuzzURI + `","version":2},"contentChanges":[{"text":null},{"text":"<plist>"}]}`,
		`{"textDocument":{"uri":"` + fuzzURI + `","version":2},"contentChanges":[]}`,
		`{"textDocument":{"uri":"` + fuzzURI + `","version":3},"contentChanges":[{"range":{"start":` + pos("2", "4294967295") + `,"end":` + pos("0", "1") + `},"text":"\ud83d"},{"range":null,"text":"<dict>"},{"range":{"start":` + pos("0", "6") + `,"end":` + pos("0", "6") + `}}]}`,
		`{"textDocument":{"uri":"file:///never/opened.entitlements","version":1},"contentChanges":[{"range":{"start":` + pos("0", "0") + `,"end":` + pos("0", "0") + `},"text":"x"}]}`,
		`{"textDocument":{"uri":"` + fuzzURI + `","version":4},"contentChanges":[{"range":{"start":{"line":-1},"end":"x"},"text":"y"}]}`,
		`{"textDocument":{"uri":"` + fuzzURI + `","languageId":"xml","version":-7,"text":"\u0000\ud800"}}`,
		`{"settings":{"entitlint":{"platforms":["macos"],"maxFileSize":-1}}}`,
		`{"settings":{"platforms":"ios","rules":{"x":"nope"},"catalogs":[1,2]}}`,
		`{"settings":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
		`{"changes":[null,{"uri":"file:///w/.entitlint.json","type":2}]}`,
		`{"id":7}`, `{"id":"7"}`, `{"id":1e20}`, `{"id":-0.0}`,
		strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
		`{"capabilities":{"textDocument":{"hover":{"contentFormat":[1,null]}}},"initializationOptions":[]}`,
	} {
		f.Add(uint8(i%len(dispatchMethods)), "", []byte(params), i%3 == 0, i%2 == 0)
		f.Add(uint8(255), dispatchMethods[i%len(dispatchMethods)], []byte(params), i%3 == 1, i%2 == 1)
	}
	f.Add(uint8(255), "custom/method", []byte(`{"x":[1,{"y":null}]}`), false, true)
	f.Fuzz(func(t *testing.T, pick uint8, garbage string, params []byte, notify, stringID bool) {
		method := garbage
		if int(pick) < len(dispatchMethods) {
			method = dispatchMethods[pick]
		}
		raw := string(params)
		if len(params) > 0 && !json.Valid(params) {
			b, _ := json.Marshal(raw) // still valid JSON: the frame must reach dispatch
			raw = string(b)
		}
		id := ""
		if !notify {
			id = "7"
			if stringID {
				id = `"fuzz"`
			}
		}
		checkDispatch(t, rpc(id, method, raw), id, method, strings.Contains(raw, fuzzURI))
	})
}

// fuzzConn is a raw client connection: messages it reads are collected.
type fuzzConn struct {
	t      *testing.T
	pipe   net.Conn
	stream jsonrpc2.Stream // for writing
	in     *bufio.Reader
	msgs   chan fuzzMsg
}

// fuzzMsg is a message from the server with its top-level members.
type fuzzMsg struct {
	msg    jsonrpc2.Message
	fields map[string]json.RawMessage
}

// read reads one frame (jsonrpc2.Stream would hide whether a response
// holds "result": null or no result at all).
func (c *fuzzConn) read() (fuzzMsg, error) {
	length := -1
	for {
		line, err := c.in.ReadString('\n')
		if err != nil {
			return fuzzMsg{}, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			if length, err = strconv.Atoi(v); err != nil {
				return fuzzMsg{}, err
			}
		}
	}
	body := make([]byte, max(length, 0))
	if _, err := io.ReadFull(c.in, body); err != nil {
		return fuzzMsg{}, err
	}
	var m fuzzMsg
	if err := json.Unmarshal(body, &m.fields); err != nil {
		return m, fmt.Errorf("%w: %s", err, body)
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	m.msg = msg
	return m, err
}

func (c *fuzzConn) send(body string) error {
	_ = c.pipe.SetWriteDeadline(time.Now().Add(waitTimeout))
	_, err := io.WriteString(c.pipe, frame(body))
	return err
}

// checkDispatch runs one FuzzDispatch case: msg is the fuzzed message, id
// its id ("" for a notification).
func checkDispatch(t *testing.T, msg, id, method string, touchesDoc bool) {
	srvEnd, cliEnd := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(context.Background(), srvEnd, Options{}) }()
	c := &fuzzConn{t: t, pipe: cliEnd, stream: jsonrpc2.NewStream(cliEnd), in: bufio.NewReader(cliEnd), msgs: make(chan fuzzMsg, 100)}
	var wg sync.WaitGroup
	wg.Add(1)
	readErr := make(chan error, 1)
	go func() {
		defer wg.Done()
		defer close(c.msgs)
		for {
			_ = cliEnd.SetReadDeadline(time.Now().Add(3 * waitTimeout))
			m, err := c.read()
			if err != nil {
				if m.fields != nil || m.msg != nil || strings.Contains(err.Error(), "invalid character") {
					readErr <- err // the server wrote something that is not JSON-RPC
				}
				return
			}
			if call, ok := m.msg.(*jsonrpc2.Call); ok { // a request to the client: answer it
				resp, _ := jsonrpc2.NewResponse(call.ID(), nil, nil)
				go func() { _, _ = c.stream.Write(context.Background(), resp) }()
			}
			c.msgs <- m
		}
	}()
	defer func() {
		cliEnd.Close()
		wg.Wait()
		select {
		case err := <-readErr:
			t.Errorf("bad message from the server: %v", err)
		default:
		}
		select {
		case <-done:
		case <-time.After(waitTimeout):
			t.Errorf("Serve did not return after the connection closed")
		}
	}()

	replies := map[string][]fuzzMsg{}
	collect := func(m fuzzMsg) {
		if r, isResp := m.msg.(*jsonrpc2.Response); isResp {
			_, hasResult := m.fields["result"]
			_, hasError := m.fields["error"]
			if hasResult == hasError {
				t.Errorf("a reply needs a result or an error, not both or neither: %v", m.fields)
			}
			replies[idKey(r.ID())] = append(replies[idKey(r.ID())], m)
		}
	}
	// await reads until every id in want has a reply; it reports false if
	// the connection ended first.
	await := func(want ...string) bool {
		for {
			missing := false
			for _, w := range want {
				if len(replies[w]) == 0 {
					missing = true
				}
			}
			if !missing {
				return true
			}
			select {
			case m, ok := <-c.msgs:
				if !ok {
					return false
				}
				collect(m)
			case <-time.After(waitTimeout):
				t.Fatalf("no reply to %v within %v after %s", want, waitTimeout, msg)
			}
		}
	}
	caps, _ := json.Marshal(&protocol.InitializeParams{Capabilities: clientCapabilities()})
	for _, m := range []string{rpc(`"init"`, protocol.MethodInitialize, string(caps)), rpc("", protocol.MethodInitialized, "{}"),
		rpc("", protocol.MethodTextDocumentDidOpen, didOpenParams(fuzzURI, fuzzDoc))} {
		if err := c.send(m); err != nil {
			t.Fatal(err)
		}
	}
	if !await(`"init"`) {
		t.Fatal("the connection ended during initialize")
	}
	exits := method == protocol.MethodExit && id == ""
	if err := c.send(msg); err != nil {
		t.Fatalf("sending %s: %v", msg, err)
	}
	if exits {
		select {
		case err := <-done:
			done <- err
		case <-time.After(waitTimeout):
			t.Fatal("exit did not stop the server")
		}
		return
	}
	if err := c.send(rpc(`"after"`, protocol.MethodTextDocumentHover, hoverFirstKey)); err != nil {
		t.Fatalf("the server stopped reading after %s: %v", msg, err)
	}
	want := []string{`"after"`}
	if id != "" {
		want = append(want, id)
	}
	if !await(want...) {
		t.Fatalf("the connection ended after %s", msg)
	}
	reply := func(id string) *jsonrpc2.Response { return replies[id][0].msg.(*jsonrpc2.Response) }
	shutdown := method == protocol.MethodShutdown && id != "" && reply(id).Err() == nil
	hover := reply(`"after"`)
	switch {
	case shutdown:
		if rpcCode(hover.Err()) != jsonrpc2.InvalidRequest {
			t.Errorf("hover after shutdown: %v, want InvalidRequest", hover.Err())
		}
	case hover.Err() != nil:
		t.Fatalf("hover after %s failed: %v", msg, hover.Err())
	case !touchesDoc && bytes.Equal(hover.Result(), []byte("null")):
		t.Fatalf("hover after %s: null, want the key's documentation", msg)
	}
	// Shut down, then count every reply: exactly one per request.
	_ = c.send(rpc(`"bye"`, protocol.MethodShutdown, ""))
	_ = c.send(rpc("", protocol.MethodExit, ""))
	await(`"bye"`)
	for m := range c.msgs {
		collect(m)
	}
	for rid, rs := range replies {
		if len(rs) != 1 {
			t.Errorf("%d replies to id %s", len(rs), rid)
		}
	}
}

// idKey is an id as it appears in JSON (ID's MarshalJSON has a pointer
// receiver).
func idKey(id jsonrpc2.ID) string {
	b, _ := json.Marshal(&id)
	return string(b)
}

// FuzzPositions checks the server's conversions between byte offsets and
// LSP positions (convert.go) against an editor's view of the text: lines
// end at "\n", "\r\n" or "\r", columns count UTF-16 units, and a position
// can never fall between "\r" and "\n". Edits computed by the server must
// do in the editor exactly what rules.ApplyEdits does to the bytes.
// (lineindex's FuzzRoundTrip checks the index alone.)
func FuzzPositions(f *testing.F) {
	f.Add("<key>é</key>\n😀\r\nx\ry", uint16(1), uint16(1), uint16(2), uint16(9), "è")
	f.Add("a\r\nb", uint16(0), uint16(5), uint16(1), uint16(3), "\r\r\n")
	f.Add("ab\r\ncd", uint16(0), uint16(3), uint16(2), uint16(4), "\rX")
	f.Add("\r\n\r\n", uint16(9), uint16(9), uint16(0), uint16(4), "\r\n\n")
	f.Add("日本\t😀😀", uint16(0), uint16(3), uint16(3), uint16(12), "😀😁")
	f.Add("", uint16(0), uint16(0), uint16(0), uint16(0), "x")
	f.Add(strings.Repeat("<string>😀é\r\n日</string>", 90)+strings.Repeat("x😀", 600), uint16(90), uint16(700), uint16(2500), uint16(2600), "😁")
	f.Fuzz(func(t *testing.T, text string, line, char, a, b uint16, repl string) {
		// The checks below are quadratic in the length of a line; lines
		// over 1 KB have lineindex checkpoints, keep some.
		if len(text) > 4096 {
			text = text[:4096]
		}
		// Text from an editor is valid UTF-8: it arrives as a JSON string.
		text = strings.ToValidUTF8(text, "\uFFFD")
		repl = strings.ToValidUTF8(repl, "\uFFFD")
		snap := &snapshot{text: []byte(text)}
		ed := newEditorText(text)

		bounds := ed.boundaries()
		for _, off := range bounds {
			p := snap.position(off)
			if want := ed.position(off); p != want {
				t.Fatalf("position(%d) = %v, an editor says %v (text %q)", off, p, want, text)
			}
			if back := snap.offset(p); back != off {
				t.Fatalf("offset(position(%d)) = %d (text %q)", off, back, text)
			}
		}

		p := protocol.Position{Line: uint32(line), Character: uint32(char)}
		if got, want := snap.offset(p), ed.offset(p); got != want {
			t.Fatalf("offset(%v) = %d, an editor says %d (text %q)", p, got, want, text)
		}

		sa, sb := bounds[int(a)%len(bounds)], bounds[int(b)%len(bounds)]
		if sa > sb {
			sa, sb = sb, sa
		}
		edit := rules.Edit{Span: plistxml.Span{Start: sa, End: sb}, NewText: repl}
		want, _ := rules.ApplyEdits([]byte(text), []rules.Edit{edit})
		edits := snap.textEdits([]rules.Edit{edit})
		if got := ed.apply(edits); got != string(want) {
			t.Fatalf("replacing [%d,%d) of %q with %q: the editor gets %q from %+v, rules.ApplyEdits %q", sa, sb, text, repl, got, edits, want)
		}
	})
}

// editorText is the text as an editor sees it: lines without their
// terminators, positions in UTF-16 units.
type editorText struct {
	text  string
	lines [][2]int // start and end (before the terminator) of each line
}

func newEditorText(text string) *editorText {
	e := &editorText{text: text}
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			e.lines = append(e.lines, [2]int{start, i})
			start = i + 1
		case '\r':
			e.lines = append(e.lines, [2]int{start, i})
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	e.lines = append(e.lines, [2]int{start, len(text)})
	return e
}

// boundaries are the offsets an editor can address: character starts,
// never between "\r" and "\n".
func (e *editorText) boundaries() []int {
	var out []int
	for i := 0; i < len(e.text); {
		out = append(out, i)
		if strings.HasPrefix(e.text[i:], "\r\n") {
			i += 2
			continue
		}
		_, size := utf8.DecodeRuneInString(e.text[i:])
		i += size
	}
	return append(out, len(e.text))
}

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func (e *editorText) position(off int) protocol.Position {
	for l, ln := range e.lines {
		if off <= ln[1] || l == len(e.lines)-1 {
			return protocol.Position{Line: uint32(l), Character: uint32(utf16Units(e.text[ln[0]:off]))}
		}
		if off < e.lines[l+1][0] {
			panic("offset inside a line terminator")
		}
	}
	panic("unreachable")
}

// offset clamps like an editor: a line past the end means the end of the
// text, a column past the end of a line its end, a column inside a
// surrogate pair the start of that character.
func (e *editorText) offset(p protocol.Position) int {
	if int(p.Line) >= len(e.lines) {
		return len(e.text)
	}
	ln := e.lines[p.Line]
	units, i := 0, ln[0]
	for i < ln[1] {
		r, size := utf8.DecodeRuneInString(e.text[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > int(p.Character) {
			break
		}
		units += w
		i += size
	}
	return i
}

func (e *editorText) apply(edits []protocol.TextEdit) string {
	type span struct {
		a, b int
		s    string
	}
	var spans []span
	for _, ed := range edits {
		spans = append(spans, span{e.offset(ed.Range.Start), e.offset(ed.Range.End), ed.NewText})
	}
	text := e.text
	for i := len(spans) - 1; i >= 0; i-- { // in order, non-overlapping: apply from the end
		s := spans[i]
		if s.a > s.b || i > 0 && spans[i-1].b > s.a {
			return fmt.Sprintf("bad edits %+v", edits)
		}
		text = text[:s.a] + s.s + text[s.b:]
	}
	return text
}

// startServerPipe is startServer (with the real rules) that also returns
// the client's end of the pipe, for writing raw frames. The test must not
// write while a call is in flight.
func startServerPipe(t *testing.T) (*testClient, net.Conn) {
	t.Helper()
	return serveOnPipe(t, hooks{run: realRules}, false)
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

// jsonRoundTrip is the text as the server receives it: JSON strings cannot
// carry invalid UTF-8, each such byte arrives as U+FFFD.
func jsonRoundTrip(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

// TestHostileDocuments sends the hostile inputs of cli/hostile_test.go to
// the language server. Each gets exactly the diagnostics `entitlint check`
// reports (the too-large one for 100 MB), and hovers, completions, code
// actions, symbols (at most maxSymbols) and folding ranges on it answer,
// within the bounds stated in each case; times are not checked under
// -race. A DOCTYPE pointing at a file or a server never makes the server
// read or fetch it. Measured, from the frame to its diagnostics, server
// side: 100 MB too large 0.25 s and 7.7 bytes allocated per byte (reading,
// unquoting and keeping the text); a million elements 0.4 s, 81x (the
// tree); a 10 MB line 0.15 s, 7.5x; a 1 MB key 25 ms, 22x.
func TestHostileDocuments(t *testing.T) {
	requireParser(t)
	b := make([]byte, 16)
	_, _ = cryptorand.Read(b)
	secret := "SECRET-" + hex.EncodeToString(b)
	secretPath := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, secretPath, secret)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, secret)
	}))
	defer srv.Close()

	var laughs strings.Builder
	laughs.WriteString(`<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	const body = "<plist version=\"1.0\">\n<dict>\n\t<key>&x;</key>\n\t<string>&x;</string>\n\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n</dict>\n</plist>\n"
	// The race detector is ten times slower or more: the big cases shrink
	// under it (the too-large document stays over the limit).
	huge, elements, line := 100<<20, 1_000_000, 10<<20
	if raceEnabled() || testing.Short() {
		huge, elements, line = 12<<20, 200_000, 2<<20
	}
	utf16 := []byte{0xff, 0xfe}
	for _, r := range body {
		utf16 = append(utf16, byte(r), 0)
	}
	cases := []struct {
		name    string
		text    string
		maxTime time.Duration // from didOpen to the publish of its diagnostics
		maxMem  float64       // bytes allocated per byte of text, client and server together
	}{
		{"billion laughs", `<!DOCTYPE plist [` + laughs.String() + `<!ENTITY x "&lol9;">]>` + body, time.Second, 0},
		{"external file entity", `<!DOCTYPE plist [<!ENTITY x SYSTEM "file://` + filepath.ToSlash(secretPath) + `">]>` + body, time.Second, 0},
		{"external http entity", `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + srv.URL + `/x">]>` + body, time.Second, 0},
		{"external DTD", `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "` + srv.URL + `/PropertyList-1.0.dtd">` + body, time.Second, 0},
		{"NUL bytes", strings.Replace(body, "app-sandbox", "app\x00sandbox\x00", 1), time.Second, 0},
		{"invalid UTF-8", strings.Replace(body, "sandbox", "sand\xff\xfebox", 1), time.Second, 0},
		{"UTF-16 with BOM", string(utf16), time.Second, 0},
		{"too large", strings.Repeat("\t<key>com.apple.security.app-sandbox</key>\n", huge/43+1), 10 * time.Second, 12},
		{"a million elements", "<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.security.application-groups</key>\n\t<array>\n" +
			strings.Repeat("<string/>", elements) + "\n\t</array>\n</dict>\n</plist>\n", 10 * time.Second, 150},
		{"10 MB line", "<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array><string>group." +
			strings.Repeat("x", line-200) + "</string></array></dict></plist>", 5 * time.Second, 20},
		{"1 MB key", "<plist version=\"1.0\">\n<dict>\n\t<key>" + strings.Repeat("k", 1<<20) + "</key>\n\t<true/>\n</dict>\n</plist>\n", 2 * time.Second, 40},
	}
	c, pipe := startServerPipe(t)
	c.initialize(nil)
	dir := t.TempDir()
	for i, tc := range cases {
		if testing.Short() && len(tc.text) > 1<<20 {
			continue
		}
		uri := fileURI(filepath.Join(dir, fmt.Sprintf("Hostile%d.entitlements", i)))
		// The frame is encoded beforehand and written as is, so that what
		// is measured is the server (the go.lsp.dev client allocates 15
		// bytes per byte of a 100 MB text to encode it).
		frame := []byte(frame(rpc("", protocol.MethodTextDocumentDidOpen, didOpenParams(uri, tc.text))))
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_ = pipe.SetWriteDeadline(time.Now().Add(waitTimeout))
		if _, err := pipe.Write(frame); err != nil {
			t.Fatal(err)
		}
		_ = pipe.SetWriteDeadline(time.Time{})
		diags := c.waitVersion(uri, 1)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		frame = nil
		t.Logf("%-22s %9d bytes: diagnostics in %v, %.1fx allocated (%d MB), %d diagnostics",
			tc.name, len(tc.text), took.Round(time.Millisecond), float64(alloc)/float64(len(tc.text)), alloc>>20, len(diags))

		text := jsonRoundTrip(tc.text)
		var want []protocol.Diagnostic
		for _, f := range rules.Check([]byte(text), rules.Options{}).Findings {
			r := protocol.Range{}
			if f.Span.IsValid() {
				r = protocol.Range{Start: utf16Pos(text, f.Span.Start), End: utf16Pos(text, f.Span.End)}
			}
			want = append(want, protocol.Diagnostic{Range: r, Severity: severity(f.Severity), Code: f.Rule, Message: f.Message})
		}
		if d := diffDiagnostics(diags, want); d != "" {
			t.Errorf("%s: the diagnostics differ from rules.Check: %s", tc.name, d)
		}
		if tc.name == "too large" && (len(diags) != 1 || !strings.Contains(diags[0].Message, "over the 10.0 MB limit: not analysed")) {
			t.Errorf("too large: %+v", diags)
		}
		if !raceEnabled() && took > tc.maxTime {
			t.Errorf("%s: diagnostics after %v, limit %v", tc.name, took, tc.maxTime)
		}
		if tc.maxMem > 0 && float64(alloc) > tc.maxMem*float64(len(tc.text)) {
			t.Errorf("%s: %d MB allocated for %d MB, limit %.0fx", tc.name, alloc>>20, len(tc.text)>>20, tc.maxMem)
		}

		// Every feature answers on it, at the start, inside and past the end.
		var replies strings.Builder
		td := protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}
		for _, pos := range []protocol.Position{{Line: 0, Character: 0}, {Line: 2, Character: 8}, {Line: 0, Character: 1 << 30}, {Line: 1 << 30, Character: 5}} {
			tdp := protocol.TextDocumentPositionParams{TextDocument: td, Position: pos}
			for _, call := range []struct {
				method string
				params any
			}{
				{protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: tdp}},
				{protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: tdp}},
				{protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: td, Range: protocol.Range{Start: protocol.Position{}, End: pos}}},
			} {
				var res json.RawMessage
				if err := c.call(call.method, call.params, &res); err != nil {
					t.Errorf("%s: %s at %v: %v", tc.name, call.method, pos, err)
				}
				replies.Write(res)
			}
		}
		var syms, folds json.RawMessage
		start = time.Now()
		c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: td}, &syms)
		if n := bytes.Count(syms, []byte(`"selectionRange"`)); n > maxSymbols+10 {
			t.Errorf("%s: %d symbols", tc.name, n)
		}
		if took := time.Since(start); !raceEnabled() && took > 2*time.Second {
			t.Errorf("%s: symbols took %v", tc.name, took)
		}
		c.mustCall(protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: td}}, &folds)
		replies.Write(syms)
		replies.Write(folds)
		all := replies.String()
		for _, d := range diags {
			all += d.Message
		}
		if strings.Contains(all, secret) || strings.Contains(all, "lollollol") {
			t.Errorf("%s: an entity was expanded or read", tc.name)
		}
		c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: td})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the HTTP server got %d requests", n)
	}
}

// TestHostileWorkspaceProfile: the server loads the workspace's only
// provisioning profile without being asked, so a cloned repository decides
// what it reads. A signed profile under 1 KB whose property list expands to
// 2^40 values (shared objects) is refused; diagnostics come as usual.
func TestHostileWorkspaceProfile(t *testing.T) {
	requireParser(t)
	objs := []byte("bplist00\x09") // true, then 40 arrays each holding the previous one twice
	offs := []int{8}
	for i := 1; i <= 40; i++ {
		offs = append(offs, len(objs))
		objs = append(objs, 0xA2, byte(i-1), byte(i-1))
	}
	table := len(objs)
	for _, o := range offs {
		objs = append(objs, byte(o>>8), byte(o))
	}
	trailer := make([]byte, 32)
	trailer[6], trailer[7] = 2, 1
	trailer[15], trailer[23], trailer[30], trailer[31] = byte(len(offs)), byte(len(offs)-1), byte(table>>8), byte(table)
	data, err := profiletest.Sign(append(objs, trailer...))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	mkFile(t, filepath.Join(root, "Signing", "Laughs.mobileprovision"), string(data))
	docPath := filepath.Join(root, "App", "App.entitlements")
	const doc = "<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.developer.app-groups</key>\n\t<true/>\n</dict>\n</plist>\n"
	mkFile(t, docPath, doc)

	c := startServer(t, hooks{run: realRules})
	c.initialize(&protocol.InitializeParams{Capabilities: clientCapabilities(),
		WorkspaceFolders: []protocol.WorkspaceFolder{{URI: fileURI(root), Name: "root"}}})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	c.open(fileURI(docPath), doc, 1)
	diags := c.waitVersion(fileURI(docPath), 1)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if len(diags) == 0 || diags[0].Code != "hallucinated-key" {
		t.Errorf("diagnostics: %+v", diags)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("%d MB allocated", alloc>>20)
	}
	if !raceEnabled() && took > 2*time.Second {
		t.Errorf("diagnostics after %v", took)
	}
	if log := c.logs.String(); !strings.Contains(log, "binary property list refused") {
		t.Errorf("the log does not say the profile was refused:\n%.3000s", log)
	}
}
