package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/screenlab/screenlab/report/render"
)

// How a page shows a figure it cannot print: NotDefined for a value with
// no denominator or no events (NaN in a result), Suppressed for a value
// hidden by disclosure control (a result marks those).
const (
	NotDefined = "not defined"
	Suppressed = "suppressed"
)

// FormatP shows a p-value with two significant digits; below 1e-16 (where
// a double underflows) it says so rather than print 0.
func FormatP(p float64) string {
	if math.IsNaN(p) {
		return NotDefined
	}
	return render.FormatP(p)
}

// cells formats the cells of one row: a NaN is Suppressed when the row's
// figure was hidden, else NotDefined.
type cells struct{ suppressed bool }

func (c cells) missing() string {
	if c.suppressed {
		return Suppressed
	}
	return NotDefined
}

// Num shows x with prec decimals.
func (c cells) Num(x float64, prec int) string {
	if math.IsNaN(x) {
		return c.missing()
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

// CI shows "est (lo–hi)".
func (c cells) CI(est, lo, hi float64, prec int) string {
	if math.IsNaN(est) {
		return c.missing()
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return c.Num(est, prec)
	}
	return fmt.Sprintf("%s (%s–%s)", c.Num(est, prec), c.Num(lo, prec), c.Num(hi, prec))
}

// Pct shows a proportion as "83.8% (81.2–86.4)".
func (c cells) Pct(est, lo, hi float64) string {
	if math.IsNaN(est) {
		return c.missing()
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return c.Num(100*est, 1) + "%"
	}
	return fmt.Sprintf("%s%% (%s–%s)", c.Num(100*est, 1), c.Num(100*lo, 1), c.Num(100*hi, 1))
}

// P shows a p-value.
func (c cells) P(p float64) string {
	if math.IsNaN(p) {
		return c.missing()
	}
	return FormatP(p)
}

// plain formats figures that are never suppressed.
var plain = cells{}
