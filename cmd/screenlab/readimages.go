package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// newCmdReadImages is the hidden command score runs in a child process to
// find out whether an exam's files kill the reader (readIsolated).
func newCmdReadImages(f *factory) *cobra.Command {
	var mb int
	var pixels int64
	cmd := &cobra.Command{
		Use:     "read-images PATH...",
		Short:   "Decode image files and say ok (used by score --resume in a child process)",
		Hidden:  true,
		Example: `  screenlab read-images --max-image-mb 256 round/images/E1_R_CC.dcm round/images/E1_R_MLO.dcm`,
		RunE: func(cmd *cobra.Command, args []string) error {
			lim := imageio.Limits{MaxDecodedBytes: int64(mb) << 20, MaxPixels: pixels}
			for _, p := range args {
				imageio.ReadCoded(p, lim) // an error is an error row, not a death (the reader score uses)
			}
			fmt.Fprintln(f.IO.Out, "ok")
			return nil
		},
	}
	cmd.Flags().IntVar(&mb, "max-image-mb", int(imageio.DefaultLimits.MaxDecodedBytes>>20), "")
	cmd.Flags().Int64Var(&pixels, "max-image-pixels", imageio.DefaultLimits.MaxPixels, "")
	return cmd
}

// readIsolated reads an exam's files in a child screenlab; an error means
// the child died (or hung for two minutes).
func readIsolated(mb int, pixels int64) func([]string) error {
	return func(paths []string) error {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := append([]string{"read-images", "--max-image-mb", strconv.Itoa(mb), "--max-image-pixels", strconv.FormatInt(pixels, 10), "--"}, paths...)
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = append(os.Environ(), "SCREENLAB_CHILD=read-images")
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("the reader died: %w", err)
		}
		if out.String() != "ok\n" {
			return fmt.Errorf("the reader did not finish")
		}
		return nil
	}
}
