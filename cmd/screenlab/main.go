package main

import (
	"os"
	"runtime/debug"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
)

func main() {
	// A batch tool holding a registry in memory spends much of its time in
	// the garbage collector at the default GOGC=100; trade memory for speed
	// unless the user chose.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], ui.System()))
}
