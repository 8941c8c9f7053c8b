package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets/imageio"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/onnx"
	"github.com/screenlab/screenlab/models/scoring"
)

type scoreOptions struct {
	f       *factory
	Model   string
	Sidecar string
	Data    string
	Out     string
	Workers int
	Shard   string
	Resume  bool
	Retry   bool
	ImageMB int
	Pixels  int64
}

func newCmdScore(f *factory, runF func(*scoreOptions) error) *cobra.Command {
	opts := &scoreOptions{f: f}
	cmd := &cobra.Command{
		Use:   "score --model M --data IMAGES --out F",
		Short: "Score a screening round's images with a CNN or ONNX triage model, resumably",
		Long: `Score every exam of an images table (exam_id, laterality, view, path; paths
relative to the table's folder) with a model from screenlab train --model cnn,
or with an ONNX model trained elsewhere (MODEL.onnx, described by its sidecar
MODEL.onnx.json: input, preprocessing, output, how views combine; check both
with screenlab models verify). Images may be uncompressed DICOM, RLE, JPEG
(baseline, 12-bit extended, lossless), JPEG-LS or JPEG 2000, PNG or TIFF.
Each exam's four views are decoded, preprocessed as in training and scored in
batches on --workers goroutines; the output (CSV, .csv.gz or .parquet) has one
row per exam in the order of the images table: exam_id, status (ok|error),
the probability per view (score_r_cc, score_r_mlo, score_l_cc, score_l_mlo),
exam_score, error (why an exam could not be scored: a missing view, a missing
or unreadable file), model_id and model_sha256.

One bad image never stops a round: a file that is not a mammogram (another
modality, several frames, no contrast), is damaged, is not a regular file (a
directory, a FIFO, a device), or would take more than --max-image-mb to decode
(a decompression bomb) gets an error row with its reason.

Scored exams are journalled to OUT.partial as they finish, each line chained to
the one before by SHA-256 (an edited journal is refused). After a crash or a
kill, run the same command with --resume: it keeps what was scored and goes
on, and the final output holds every exam exactly once. An exam whose images
were being read when the run died is first read again in a child process on
--resume: if that dies too, the exam gets an error row (its files kill the
reader) and the resume goes on; otherwise it is scored like the rest, so a
round stopped by its operator resumes to the same bytes. --retry-stopped
skips the check. Two runs on one --out are refused (a lock the
kernel drops when a run dies, however it dies). --shard k/n scores the
exams whose id hashes to k (0 ≤ k < n), so n machines — e.g. a Kubernetes
indexed Job with k = JOB_COMPLETION_INDEX — can split a round; screenlab score
merge joins their outputs and checks that every exam is there once.`,
		Example: `  screenlab score --model triage.model --data round/images.csv --out round/scores.csv --workers 2
  screenlab score --model resnet18.onnx --data round/images.csv --out round/scores.csv
  screenlab score --model triage.model --data round/images.csv --out round/scores.csv --resume
  screenlab score --model triage.model --data round/images.csv --shard 3/8 --out scores-3.parquet
  screenlab score merge --data round/images.csv --out scores.parquet scores-*.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "" || opts.Data == "" || opts.Out == "" {
				return flagErrorf("--model, --data and --out are required")
			}
			if runF != nil {
				return runF(opts)
			}
			return runScore(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Model, "model", "", "CNN model `FILE` (screenlab train --model cnn), or an ONNX model (.onnx) with its sidecar")
	fl.StringVar(&opts.Sidecar, "sidecar", "", "with an ONNX --model, its sidecar `FILE` (default: the model's path + .json)")
	fl.StringVar(&opts.Data, "data", "", "images table `FILE`")
	fl.StringVar(&opts.Out, "out", "", "scores `FILE` (.csv, .csv.gz or .parquet)")
	fl.IntVar(&opts.Workers, "workers", 0, "goroutines decoding and scoring (default: the number of CPUs)")
	fl.StringVar(&opts.Shard, "shard", "", "score shard `k/n` of the round (0 ≤ k < n)")
	fl.BoolVar(&opts.Resume, "resume", false, "continue an interrupted run from OUT.partial")
	fl.BoolVar(&opts.Retry, "retry-stopped", false, "with --resume, try again the exams being read when the run stopped")
	fl.IntVar(&opts.ImageMB, "max-image-mb", int(imageio.DefaultLimits.MaxDecodedBytes>>20), "the most `MB` one image may take decoded (larger files get an error row)")
	fl.Int64Var(&opts.Pixels, "max-image-pixels", imageio.DefaultLimits.MaxPixels, "the most pixels (width × height) of one image")
	cmd.AddCommand(newCmdScoreMerge(f))
	return cmd
}

func parseShard(s string) (k, n int, err error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, flagErrorf("--shard %q: want k/n with 0 ≤ k < n, e.g. 0/4", s)
	}
	return k, n, nil
}

func runScore(opts *scoreOptions) error {
	k, n, err := parseShard(opts.Shard)
	if err != nil {
		return err
	}
	m, err := loadImageModel(opts.Model, opts.Sidecar)
	if err != nil {
		return err
	}
	if !m.IsImage() {
		return fmt.Errorf("%s is a %s model: screenlab score takes a CNN (train --model cnn) or an ONNX model; use screenlab predict for table models", opts.Model, m.Kind)
	}
	if opts.ImageMB < 1 || opts.Pixels < 1 {
		return flagErrorf("--max-image-mb and --max-image-pixels must be positive")
	}
	if opts.Retry && !opts.Resume {
		return flagErrorf("--retry-stopped goes with --resume")
	}
	m.ImagePrep.Limits = imageio.Limits{MaxDecodedBytes: int64(opts.ImageMB) << 20, MaxPixels: opts.Pixels}
	images, root, err := scoring.ReadImages(opts.Data)
	if err != nil {
		return err
	}
	var bar interface {
		Set(int64)
		Finish()
	}
	sum, err := scoring.Score(m, images, opts.Out, scoring.Options{Root: root, Workers: opts.Workers,
		Shard: k, Shards: n, Resume: opts.Resume, RetryStopped: opts.Retry, Isolate: readIsolated(opts.ImageMB, opts.Pixels),
		Progress: func(done, total int) {
			if bar == nil {
				bar = opts.f.IO.NewRateProgress(int64(total), "scoring", "exams")
			}
			bar.Set(int64(done))
		}})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if sum.Stopped > 0 {
		opts.f.IO.Notef("%d exams were being read when the last run stopped: they have error rows (use --resume --retry-stopped on an interrupted run to try such exams again)", sum.Stopped)
	}
	opts.f.IO.Notef("scored %d exams (%d errors, %d resumed) into %s at %.0f images/s", sum.Scored, sum.Errors, sum.Resumed, sum.Output, sum.ImagesPerSec)
	return opts.f.write(sum)
}

func newCmdScoreMerge(f *factory) *cobra.Command {
	var data, out string
	cmd := &cobra.Command{
		Use:   "merge --data IMAGES --out F SHARD...",
		Short: "Join the shards of a scored round, checking every exam is there exactly once",
		Long: `Join the outputs of screenlab score --shard k/n into one file in the order of
the images table. It fails, writing nothing, when an exam of the table is in no
shard, is in two, when a shard holds an exam the table does not, or when the
shards were scored by different models; the JSON names the exams.`,
		Example: `  screenlab score merge --data round/images.csv --out round/scores.parquet scores-0.parquet scores-1.parquet`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" || out == "" {
				return flagErrorf("--data and --out are required")
			}
			images, _, err := scoring.ReadImages(data)
			if err != nil {
				return err
			}
			sum, err := scoring.Merge(images, args, out)
			if err != nil {
				if sum != nil {
					_ = f.write(sum)
				}
				return err
			}
			return f.write(sum)
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "the round's images table `FILE`")
	cmd.Flags().StringVar(&out, "out", "", "merged scores `FILE`")
	return cmd
}

// loadImageModel loads a screenlab model, or an ONNX model (.onnx) with
// its sidecar (sidecar, or MODEL.json).
func loadImageModel(path, sidecar string) (*models.File, error) {
	if models.IsONNX(path) {
		return onnx.LoadFile(path, sidecar)
	}
	if sidecar != "" {
		return nil, flagErrorf("--sidecar goes with an ONNX model (.onnx); %s is a screenlab model", path)
	}
	return models.Load(path)
}
