//go:build !cgo

package native

import (
	"fmt"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

func init() {
	for _, uid := range []string{"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"} {
		codec.Register(uid, decodeJPEGLS)
	}
	for _, uid := range []string{"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"} {
		codec.Register(uid, decodeJ2K)
	}
}

func decodeJPEGLS([]byte, codec.Frame) ([]uint16, error) {
	return nil, fmt.Errorf("%w: JPEG-LS needs CharLS (libcharls.so.2, Debian libcharls2) through cgo, and this screenlab was built with CGO_ENABLED=0", codec.ErrNoLibrary)
}

func decodeJ2K([]byte, codec.Frame) ([]uint16, error) {
	return nil, fmt.Errorf("%w: JPEG 2000 needs OpenJPEG (libopenjp2.so.7, Debian libopenjp2-7) through cgo, and this screenlab was built with CGO_ENABLED=0", codec.ErrNoLibrary)
}
