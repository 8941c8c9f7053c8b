package native

import "github.com/screenlab/screenlab/datasets/imageio/codec"

// init registers this build's decoders: the libraries' with cgo, ones
// that say cgo is off without it (nocgo.go).
func init() {
	for _, uid := range []string{"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"} {
		codec.Register(uid, decodeJPEGLS)
	}
	for _, uid := range []string{"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"} {
		codec.Register(uid, decodeJ2K)
	}
}
