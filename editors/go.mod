// This file makes editors/ a separate (empty) Go module so that `go test ./...`,
// `go vet ./...` and staticcheck at the repository root never descend into
// editors/vscode/node_modules, where some npm packages ship Go code.
module github.com/entitlint/entitlint/editors

go 1.26
