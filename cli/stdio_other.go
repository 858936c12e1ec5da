//go:build !unix

package cli

import "io"

// pollableStdio leaves standard input and output as they are: making them
// pollable is done on Unix only (see stdio_unix.go).
func pollableStdio(in io.Reader, out io.Writer) (io.Reader, io.Writer, func()) {
	return in, out, func() {}
}
