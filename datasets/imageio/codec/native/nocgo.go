//go:build !cgo

package native

import (
	"fmt"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

func decodeJPEGLS([]byte, codec.Frame) ([]uint16, error) {
	return nil, fmt.Errorf("%w: JPEG-LS needs CharLS (libcharls.so.2, Debian libcharls2) through cgo, and this screenlab was built with CGO_ENABLED=0", codec.ErrNoLibrary)
}

func decodeJ2K([]byte, codec.Frame) ([]uint16, error) {
	return nil, fmt.Errorf("%w: JPEG 2000 needs OpenJPEG (libopenjp2.so.7, Debian libopenjp2-7) through cgo, and this screenlab was built with CGO_ENABLED=0", codec.ErrNoLibrary)
}
