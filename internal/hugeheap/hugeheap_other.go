//go:build !linux

package hugeheap

// Reserve does nothing where the kernel has no transparent huge pages.
func Reserve(size int) bool { return false }

// AsTheCommand does nothing where Reserve does nothing.
func AsTheCommand() {}
