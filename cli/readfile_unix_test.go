//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO is not a regular file: it is read up to the limit, from the one
// descriptor that opened it, whether its writer came first or second. (It
// used to be opened twice; with the writer first, the first open paired
// with it, and the second waited for a writer that had already left.)
func TestReadFileLimitedFIFO(t *testing.T) {
	for _, writerFirst := range []bool{true, false} {
		t.Run(map[bool]string{true: "writer first", false: "reader first"}[writerFirst], func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "pipe.entitlements")
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Skip("mkfifo:", err)
			}
			write := func() {
				w, err := os.OpenFile(p, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				w.Write([]byte("<plist><dict/></plist>"))
				w.Close()
			}
			if writerFirst {
				go write()
				time.Sleep(50 * time.Millisecond) // the writer waits in open for a reader
			} else {
				time.AfterFunc(50*time.Millisecond, write)
			}
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
		})
	}
}
