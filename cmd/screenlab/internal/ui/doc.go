// Package ui holds the command line's input and output streams and its
// progress bars. Progress goes to standard error, and only when both
// standard output and standard error are terminals (as GitHub's CLI does),
// so that piped output stays clean.
package ui
