//go:build unix

package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// blockingPair returns two connected blocking descriptors as *os.File, the
// way a parent process hands a pipe or a socket to a language server
// (os.Pipe's files are non-blocking and in the poller already).
func blockingPair(t *testing.T, socket bool) (r, w *os.File) {
	t.Helper()
	var fds [2]int
	var err error
	if socket {
		fds, err = syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	} else {
		err = syscall.Pipe(fds[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	r, w = os.NewFile(uintptr(fds[0]), "r"), os.NewFile(uintptr(fds[1]), "w")
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// nonBlocking reports whether f's open file has O_NONBLOCK set.
func nonBlocking(t *testing.T, f *os.File) bool {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags int
	if err := rc.Control(func(fd uintptr) { flags, err = unix.FcntlInt(fd, unix.F_GETFL, 0) }); err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return flags&unix.O_NONBLOCK != 0
}

// Pipes and sockets from a parent are read through the poller while the
// server runs, and given back in blocking mode; anything else is left
// alone.
func TestPollableStdio(t *testing.T) {
	for _, socket := range []bool{false, true} {
		t.Run(map[bool]string{false: "pipe", true: "socket"}[socket], func(t *testing.T) {
			r, w := blockingPair(t, socket)
			if err := r.SetReadDeadline(time.Time{}); !errors.Is(err, os.ErrNoDeadline) {
				t.Fatalf("a blocking descriptor should not be in the poller: %v", err)
			}
			in, out, restore := pollableStdio(r, w)
			pin, pout := in.(*os.File), out.(*os.File)
			if pin == r || pout == w {
				t.Fatal("pollableStdio returned the blocking files")
			}
			if !nonBlocking(t, r) || !nonBlocking(t, w) {
				t.Error("the descriptors are still blocking")
			}
			// A deadline only works in the poller: an empty input times out
			// instead of blocking the thread.
			if err := pin.SetReadDeadline(time.Now().Add(10 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if _, err := pin.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("read from an empty pollable input: %v, want a deadline error", err)
			}
			_ = pin.SetReadDeadline(time.Time{})
			// What one end writes, the other reads.
			go func() { _, _ = pout.Write([]byte("Content-Length: 2\r\n\r\n{}")) }()
			got := make([]byte, 23)
			if _, err := io.ReadFull(pin, got); err != nil || string(got) != "Content-Length: 2\r\n\r\n{}" {
				t.Fatalf("read %q, %v", got, err)
			}
			restore()
			if nonBlocking(t, r) || nonBlocking(t, w) {
				t.Error("restore left the descriptors non-blocking")
			}
		})
	}

	dir := t.TempDir()
	regular, err := os.Create(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer regular.Close()
	devNull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	for _, c := range []struct {
		name string
		f    *os.File
	}{{"regular file", regular}, {"device", devNull}, {"pollable pipe", pr}, {"pollable pipe's write end", pw}} {
		before := nonBlocking(t, c.f)
		in, out, restore := pollableStdio(c.f, c.f)
		if in != c.f || out != c.f {
			t.Errorf("%s: replaced", c.name)
		}
		restore()
		if nonBlocking(t, c.f) != before {
			t.Errorf("%s: blocking mode changed", c.name)
		}
	}
}

// A whole session of `entitlint serve` over blocking pipes, as an editor
// starts it, and over one socket that is both its input and its output:
// diagnostics arrive, shutdown and exit end it with status 0, and the
// descriptors are blocking again afterwards.
func TestServeOverBlockingPipes(t *testing.T) {
	t.Run("pipes", func(t *testing.T) {
		stdin, client := blockingPair(t, false)
		fromServer, stdout := blockingPair(t, false)
		serveSession(t, stdin, stdout, client, fromServer)
	})
	t.Run("one socket", func(t *testing.T) {
		server, client := blockingPair(t, true)
		serveSession(t, server, server, client, client)
	})
}

// serveSession runs runServe on stdin and stdout and drives it as a client
// writing to client and reading fromServer.
func serveSession(t *testing.T, stdin, stdout, client, fromServer *os.File) {
	code := make(chan int, 1)
	go func() { code <- runServe(nil, stdin, stdout, io.Discard) }()

	send := func(v map[string]any) {
		v["jsonrpc"] = "2.0"
		body, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(client, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			t.Fatal(err)
		}
	}
	replies := make(chan map[string]any, 16)
	go func() {
		defer close(replies)
		in := bufio.NewReader(fromServer)
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
				if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
					n, _ = strconv.Atoi(v)
				}
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(in, body); err != nil {
				return
			}
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			replies <- m
		}
	}()
	wait := func(what string, match func(map[string]any) bool) map[string]any {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case m, ok := <-replies:
				if !ok {
					t.Fatalf("the server closed its output before %s", what)
				}
				if match(m) {
					return m
				}
			case <-timeout:
				t.Fatalf("no %s within 10 s", what)
			}
		}
	}
	isReply := func(id float64) func(map[string]any) bool {
		return func(m map[string]any) bool { return m["id"] == id }
	}

	send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
	wait("initialize result", isReply(1))
	send(map[string]any{"method": "initialized", "params": map[string]any{}})
	send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{
		"uri": "file:///tmp/App.entitlements", "languageId": "xml", "version": 1,
		"text": "<plist version=\"1.0\"><dict><key>com.apple.developer.app-groups</key><array/></dict></plist>\n"}}})
	pub := wait("publishDiagnostics", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	if s := fmt.Sprint(pub["params"]); !strings.Contains(s, "hallucinated-key") {
		t.Errorf("diagnostics %s, want hallucinated-key", s)
	}
	send(map[string]any{"id": 2, "method": "shutdown"})
	wait("shutdown result", isReply(2))
	send(map[string]any{"method": "exit"})
	select {
	case c := <-code:
		if c != ExitOK {
			t.Errorf("exit status %d, want %d", c, ExitOK)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after exit")
	}
	if nonBlocking(t, stdin) || nonBlocking(t, stdout) {
		t.Error("serve left its input or output non-blocking")
	}
}
