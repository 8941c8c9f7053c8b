// Package native registers the decoders of package codec that need C
// libraries: JPEG-LS through CharLS 2 (libcharls.so.2) and JPEG 2000
// through OpenJPEG 2 (libopenjp2.so.7), both opened with dlopen when first
// needed, so that a program builds and runs without them and an image that
// needs a missing one gets an error naming the library and its Debian
// package (libcharls2, libopenjp2-7). Built without cgo it registers
// decoders that say so.
//
// Import it for its side effect, as screenlab's command does:
//
//	import _ "github.com/screenlab/screenlab/datasets/imageio/codec/native"
//
// Programs that do not import it (a notebook plotting survival curves)
// link no C and build with Go's own linker.
package native
