//go:build tools

// Package tools pins what make notebooks builds: the GoNB Jupyter kernel
// and goimports, which GoNB runs on every cell.
package tools

import (
	_ "github.com/janpfeifer/gonb"
	_ "golang.org/x/tools/cmd/goimports"
)
