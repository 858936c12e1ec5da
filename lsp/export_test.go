package lsp

// CheckCLI runs `entitlint check` in-process and returns its standard
// output and exit code. The external test package sets it (lsp cannot
// import cli, which imports lsp), so that TestStress can compare the
// server's diagnostics with what the CLI reports for the same files.
var CheckCLI func(args ...string) (stdout []byte, code int)
