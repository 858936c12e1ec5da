// Command lspfloor is the fastest possible language server for lspbench: it
// answers initialize and publishes an empty, versioned diagnostics list for
// every didOpen and didChange, without looking at the text. Its latency is
// the floor that the client, the pipes and the operating system put under
// any server on this machine; scripts/lspbench.sh runs it next to entitlint.
// Like entitlint, it asks for incremental sync, so the client sends edits,
// not whole texts.
//
// With -diagnostics FILE, every publish carries the JSON array in FILE
// instead of an empty list (e.g. what entitlint publishes for the file
// being timed), so that the client's work on the answer is in the floor too.
//
//	go build -o /tmp/lspfloor ./scripts/lspfloor
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method"`
	Params struct {
		TextDocument struct {
			URI     string `json:"uri"`
			Version int    `json:"version"`
		} `json:"textDocument"`
	} `json:"params"`
}

func main() {
	diagsFile := flag.String("diagnostics", "", "a file with the JSON array to publish for every change (default: an empty list)")
	flag.Parse()
	diags := json.RawMessage("[]")
	if *diagsFile != "" {
		data, err := os.ReadFile(*diagsFile)
		if err != nil || !json.Valid(data) {
			fmt.Fprintf(os.Stderr, "lspfloor: -diagnostics: %v (or not JSON)\n", err)
			os.Exit(2)
		}
		diags = data
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	send := func(v any) {
		body, _ := json.Marshal(v)
		fmt.Fprintf(out, "Content-Length: %d\r\n\r\n%s", len(body), body)
		out.Flush()
	}
	for {
		n := -1
		for {
			line, err := in.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(strings.ToLower(line), "content-length:"); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		if n < 0 {
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(in, body); err != nil {
			return
		}
		var m message
		_ = json.Unmarshal(body, &m)
		switch m.Method {
		case "initialize":
			send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": map[string]any{
				"capabilities": map[string]any{"textDocumentSync": 2},
				"serverInfo":   map[string]any{"name": "lspfloor"}}})
		case "shutdown":
			send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
		case "exit":
			return
		case "textDocument/didOpen", "textDocument/didChange":
			send(map[string]any{"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": map[string]any{
				"uri": m.Params.TextDocument.URI, "version": m.Params.TextDocument.Version, "diagnostics": diags}})
		default:
			if len(m.ID) > 0 {
				send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
			}
		}
	}
}
