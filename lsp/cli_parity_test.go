package lsp_test

import (
	"bytes"
	"io"
	"strings"

	"github.com/entitlint/entitlint/cli"
	"github.com/entitlint/entitlint/lsp"
)

func init() {
	lsp.CheckCLI = func(args ...string) ([]byte, int) {
		var out bytes.Buffer
		code := cli.Main(args, &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard})
		return out.Bytes(), code
	}
}
