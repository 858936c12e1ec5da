package cli

import (
	"fmt"
	"io"
)

// Placeholder: replaced by the language-server work (lsp package).
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "entitlint serve: not available yet")
	return ExitUsage
}
