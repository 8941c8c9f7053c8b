package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"github.com/screenlab/screenlab/internal/atomicfile"
)

// Page is a self-contained HTML report: inline CSS and SVG plots, no
// network. Sections are added in order; Write saves it atomically.
type Page struct {
	Title    string
	Subtitle string
	Version  string
	body     bytes.Buffer
}

// Section starts a section with a heading and an optional note.
func (p *Page) Section(title, note string) {
	fmt.Fprintf(&p.body, "<section>\n<h2>%s</h2>\n", html.EscapeString(title))
	if note != "" {
		fmt.Fprintf(&p.body, "<p class=\"note\">%s</p>\n", html.EscapeString(note))
	}
}

// EndSection closes the section.
func (p *Page) EndSection() { p.body.WriteString("</section>\n") }

// Table adds a table; cells are text.
func (p *Page) Table(header []string, rows [][]string) {
	p.body.WriteString("<table>\n<tr>")
	for _, h := range header {
		fmt.Fprintf(&p.body, "<th>%s</th>", html.EscapeString(h))
	}
	p.body.WriteString("</tr>\n")
	for _, r := range rows {
		p.body.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&p.body, "<td>%s</td>", html.EscapeString(c))
		}
		p.body.WriteString("</tr>\n")
	}
	p.body.WriteString("</table>\n")
}

// SVG inlines an SVG file (its XML prologue dropped).
func (p *Page) SVG(path, caption string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	p.inline(raw, caption)
	return nil
}

func (p *Page) inline(svg []byte, caption string) {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	fmt.Fprintf(&p.body, "<figure>%s<figcaption>%s</figcaption></figure>\n", s, html.EscapeString(caption))
}

// Plot draws a plot with write (one of this package's Write… functions,
// given a destination in memory, see Draw) and inlines it, so a page can
// be made from results alone.
func (p *Page) Plot(caption string, write func(dst string) error) error {
	svg, err := Draw("svg", write)
	if err != nil {
		return err
	}
	p.inline(svg, caption)
	return nil
}

const css = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:980px;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.sub{color:#666;margin-top:.2em}.note{color:#555;font-size:.92em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em;display:block;overflow-x:auto}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}figcaption{color:#555;font-size:.9em}
footer{margin-top:3em;color:#777;font-size:.85em}`

// Write saves the page to path.
func (p *Page) Write(path string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title><style>%s</style></head><body>\n",
		html.EscapeString(p.Title), css)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"sub\">%s</p>\n", html.EscapeString(p.Title), html.EscapeString(p.Subtitle))
	b.Write(p.body.Bytes())
	fmt.Fprintf(&b, "<footer>screenlab %s</footer>\n</body></html>\n", html.EscapeString(p.Version))
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
}
