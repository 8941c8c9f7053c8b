package report

import (
	"bufio"
	"io"

	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/screenlab/screenlab/internal/atomicfile"
)

// savePlot writes a canvas atomically.
func savePlot(path string, img *vgimg.Canvas, svg *vgsvg.Canvas) error {
	return atomicfile.WriteFile(path, func(out io.Writer) error {
		w := bufio.NewWriter(out)
		var err error
		if img != nil {
			_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		} else {
			_, err = svg.WriteTo(w)
		}
		if err != nil {
			return err
		}
		return w.Flush()
	})
}
