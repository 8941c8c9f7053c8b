package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/screenlab/screenlab/internal/atomicfile"
	"github.com/screenlab/screenlab/internal/buildinfo"
)

// Every Write…Plot function of this package takes the path it writes to;
// Draw and DrawTo give them a destination in memory instead, so that a
// notebook or a page shows a plot without a file.

// memPrefix marks a destination in memory: "mem:<id>.svg".
const memPrefix = "mem:"

var (
	memDest sync.Map // string -> *bytes.Buffer
	memID   atomic.Uint64
)

// Draw runs one of this package's Write… functions with a destination in
// memory and returns what it drew, in format "svg" or "png":
//
//	svg, err := report.Draw("svg", func(dst string) error { return report.WriteKMPlot(dst, km) })
func Draw(format string, write func(dst string) error) ([]byte, error) {
	if format != "svg" && format != "png" && format != "pdf" {
		return nil, fmt.Errorf("report: plot format %q: want svg, png or pdf", format)
	}
	dst := fmt.Sprintf("%s%d.%s", memPrefix, memID.Add(1), format)
	buf := new(bytes.Buffer)
	memDest.Store(dst, buf)
	defer memDest.Delete(dst)
	if err := write(dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DrawTo is Draw writing to w.
func DrawTo(w io.Writer, format string, write func(dst string) error) error {
	b, err := Draw(format, write)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// newCanvas makes a canvas for a plot file by its extension: .png, .svg
// or .pdf.
func newCanvas(path string, w, h vg.Length) (vg.CanvasSizer, io.WriterTo, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		c := vgimg.New(w, h)
		return c, vgimg.PngCanvas{Canvas: c}, nil
	case ".svg":
		c := vgsvg.New(w, h)
		return c, c, nil
	case ".pdf":
		c := vgpdf.New(w, h)
		return c, c, nil
	}
	return nil, nil, fmt.Errorf("plot %s: want a .png, .svg or .pdf file", path)
}

// saveCanvas writes a canvas (its WriterTo) to its destination, with the
// version of screenlab that drew it: an SVG comment, a PNG "Software" text
// chunk, a PDF's Producer and Creator (and the PDF's creation date fixed,
// so that the same plot is the same bytes).
func saveCanvas(path string, c io.WriterTo) error {
	write := func(out io.Writer) error {
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return err
		}
		b := stampVersion(buf.Bytes(), "screenlab "+buildinfo.Version())
		w := bufio.NewWriter(out)
		if _, err := w.Write(b); err != nil {
			return err
		}
		return w.Flush()
	}
	if strings.HasPrefix(path, memPrefix) {
		buf, ok := memDest.Load(path)
		if !ok {
			return fmt.Errorf("report: %s is not a destination of Draw", path)
		}
		return write(buf.(*bytes.Buffer))
	}
	return atomicfile.WriteFile(path, write)
}

// stampVersion writes who drew a plot into its SVG or PNG bytes.
func stampVersion(b []byte, who string) []byte {
	pngSig := []byte("\x89PNG\r\n\x1a\n")
	switch {
	case bytes.HasPrefix(b, []byte("<?xml")):
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return b
		}
		out := append([]byte(nil), b[:i+1]...)
		out = append(out, "<!-- "+strings.ReplaceAll(who, "--", "- -")+" -->\n"...)
		return append(out, b[i+1:]...)
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return stampPDF(b, who)
	case bytes.HasPrefix(b, pngSig) && len(b) >= 33:
		// A tEXt chunk after IHDR (8 + 4 + 4 + 13 + 4 bytes).
		data := append([]byte("Software\x00"), who...)
		chunk := make([]byte, 8, 12+len(data))
		binary.BigEndian.PutUint32(chunk, uint32(len(data)))
		copy(chunk[4:], "tEXt")
		chunk = append(chunk, data...)
		chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
		out := append([]byte(nil), b[:33]...)
		out = append(out, chunk...)
		return append(out, b[33:]...)
	}
	return b
}

var (
	pdfDate    = regexp.MustCompile(`/(Creation|Mod)Date \(D:\d{14}`)
	pdfTrailer = regexp.MustCompile(`/Size (\d+)[\s\S]*?/Root (\d+ \d+ R)`)
)

// stampPDF fixes a PDF's creation and modification dates (same length,
// so no offset moves) and adds, as an incremental update (PDF 1.7,
// 7.5.6), an information dictionary naming who drew it.
func stampPDF(b []byte, who string) []byte {
	b = pdfDate.ReplaceAll(b, []byte("/${1}Date (D:19700101000000"))
	sx := bytes.LastIndex(b, []byte("startxref"))
	tr := bytes.LastIndex(b, []byte("trailer"))
	if sx < 0 || tr < 0 || tr > sx {
		return b
	}
	var prev int
	if _, err := fmt.Sscan(string(b[sx+len("startxref"):]), &prev); err != nil {
		return b
	}
	m := pdfTrailer.FindSubmatch(b[tr:sx])
	if m == nil {
		return b
	}
	size, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return b
	}
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(who)
	out := append([]byte(nil), b...)
	if out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	obj := len(out)
	out = fmt.Appendf(out, "%d 0 obj\n<< /Producer (%s) /Creator (%s) >>\nendobj\n", size, esc, esc)
	xref := len(out)
	out = fmt.Appendf(out, "xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		size, obj, size+1, m[2], size, prev, xref)
	return out
}
