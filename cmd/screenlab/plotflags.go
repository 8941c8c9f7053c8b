package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/report"
)

// plotFlags are the labels and size of a plot (--title, --xlab, --ylab,
// --width, --height); unset, each plot keeps its own.
type plotFlags struct {
	Title, XLab, YLab string
	Width, Height     float64
}

func (p *plotFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&p.Title, "title", "", "plot title (default: the plot's own)")
	fl.StringVar(&p.XLab, "xlab", "", "x-axis label (default: the plot's own, with its unit)")
	fl.StringVar(&p.YLab, "ylab", "", "y-axis label (default: the plot's own)")
	fl.Float64Var(&p.Width, "width", 0, "plot width in `INCHES` (default: the plot's own, 5 to 8)")
	fl.Float64Var(&p.Height, "height", 0, "plot height in `INCHES` (default: the plot's own, 4 to 5; a survival plot's numbers at risk come below)")
}

// options checks the size and turns the flags into plot options.
func (p *plotFlags) options() (report.PlotOptions, error) {
	if p.Width < 0 || p.Height < 0 || p.Width > 100 || p.Height > 100 {
		return report.PlotOptions{}, flagErrorf("--width and --height: want inches between 0 and 100")
	}
	return report.PlotOptions{Title: p.Title, XLabel: p.XLab, YLabel: p.YLab, Width: p.Width, Height: p.Height}, nil
}

// stepOptions are the options of a survival plot: the x label says the
// time's unit when it is known (dates with --time-unit), and the legend is
// headed by the grouping column.
func (p *plotFlags) stepOptions(t *timeFlags, group string) (report.PlotOptions, error) {
	o, err := p.options()
	if o.XLabel == "" && t.Start != "" {
		o.XLabel = "Time (" + t.TimeUnit + ")"
	}
	o.LegendTitle = group
	return o, err
}
