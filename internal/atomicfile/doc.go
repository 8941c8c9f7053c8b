// Package atomicfile writes files so that a reader never sees half of one:
// data goes to a temporary file beside the destination (on the same file
// system), which is synced, closed and renamed into place (the pattern of
// google/renameio: without the fsync, a crash after the rename can leave
// an empty file).
package atomicfile
