//go:build !unix

package scoring

import (
	"fmt"
	"os"
)

// lockOutput takes OUT.lock by creating it (no flock here: a killed run
// leaves it behind, and the message says so).
func lockOutput(out string) (unlock func(), err error) {
	path := out + ".lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err != nil {
		return nil, fmt.Errorf("%s: another screenlab score is writing it, or a killed one left %s (remove it if none runs)", out, path)
	}
	f.Close()
	return func() { os.Remove(path) }, nil
}
