package report

import (
	"bufio"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// savePlot writes a canvas atomically (temporary file, sync, rename).
func savePlot(path string, img *vgimg.Canvas, svg *vgsvg.Canvas) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	w := bufio.NewWriter(tmp)
	if img != nil {
		_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	} else {
		_, err = svg.WriteTo(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
