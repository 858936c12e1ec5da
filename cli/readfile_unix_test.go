//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO is not a regular file: it is read the general way, up to the limit.
func TestReadFileLimitedFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.entitlements")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write([]byte("<plist><dict/></plist>"))
		w.Close()
	}()
	done := make(chan struct{})
	var data []byte
	var err error
	go func() {
		defer close(done)
		data, _, err = readFileLimited(p, 100)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO with a writer did not finish")
	}
	if err != nil || string(data) != "<plist><dict/></plist>" {
		t.Errorf("got %q, %v", data, err)
	}
}
