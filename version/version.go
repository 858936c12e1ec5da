// Package version holds entitlint's release version, shared by the CLI and
// the language server (serverInfo).
package version

// Version is overridden at release time with
// -ldflags "-X github.com/entitlint/entitlint/version.Version=v1.2.3".
var Version = "0.1.0-dev"
