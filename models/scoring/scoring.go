package scoring

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

// Columns of a scores file: the exam, ok or error, the probability of a
// cancer seen in each view and in the exam, the reason of an error, and
// which model scored it.
var Columns = []string{"exam_id", "status", "score_r_cc", "score_r_mlo", "score_l_cc", "score_l_mlo", "exam_score", "error", "model_id", "model_sha256"}

// Row status values.
const (
	StatusOK    = "ok"
	StatusError = "error"
)

// Options set a scoring run.
type Options struct {
	// Root is the folder relative image paths are taken from (the images
	// table's folder).
	Root string
	// Workers decoding, preprocessing and scoring (default GOMAXPROCS).
	Workers int
	// Batch is the number of exams per inference batch (default 16). The
	// float32 sums of the network depend on the batch's size (not on which
	// exams share it or where), so the same Batch gives the same bytes
	// whatever the workers, shards or resumptions.
	Batch int
	// Shard and Shards select the exams whose id hashes to Shard modulo
	// Shards (0 ≤ Shard < Shards); Shards ≤ 1 scores every exam.
	Shard, Shards int
	// Resume continues an interrupted run from its journal (out.partial).
	Resume bool
	// RetryStopped, with Resume, tries again the exams whose images were
	// being read when the last run stopped (by default they get an error
	// row: a file that kills the reader must not kill every resumption;
	// set it when you stopped the run yourself).
	RetryStopped bool
	// Isolate, when set, reads an exam's image files in another process
	// and returns an error when that process died (a crash, memory
	// exhausted, a kill). Score uses it on --resume for the exams being
	// read when the last run stopped: one that kills the reader again gets
	// an error row, the others (a run stopped by its operator) are scored
	// as if nothing had happened. Without it such exams get an error row
	// unless RetryStopped.
	Isolate func(paths []string) error
	// Progress, when set, is told the exams done (including those resumed)
	// and the total, from the writing goroutine.
	Progress func(done, total int)
}

// Summary reports a scoring run.
type Summary struct {
	Output       string         `json:"output"`
	Shard        string         `json:"shard,omitempty"`
	Exams        int            `json:"exams"`
	Scored       int            `json:"scored"`
	Errors       int            `json:"errors"`
	ErrorReasons map[string]int `json:"error_reasons,omitempty"`
	Resumed      int            `json:"resumed"`
	// Stopped counts the exams given an error row because their images
	// were being read when the last run stopped.
	Stopped      int     `json:"stopped,omitempty"`
	ModelID      string  `json:"model_id"`
	ModelHash    string  `json:"model_sha256"`
	Seconds      float64 `json:"seconds"`
	ExamsPerSec  float64 `json:"exams_per_second"`
	ImagesPerSec float64 `json:"images_per_second"`
	// Scores holds every exam's row as written, for a caller in the same
	// process (not part of the JSON).
	Scores []ExamScore `json:"-"`
}

// ExamScore is one exam's result: its status and, when ok, its exam score
// as written to the scores file (six significant digits).
type ExamScore struct {
	ExamID string
	Status string
	Score  float64
}

// ErrIncomplete is returned by Merge when exams are missing or repeated.
var ErrIncomplete = errors.New("scores are incomplete")

// ModelID names a model in scores files: "cnn-" and the first 12 hex digits
// of its parameter hash.
func ModelID(m *models.File) string {
	h := m.ParamsHash
	if len(h) > 12 {
		h = h[:12]
	}
	return m.Kind + "-" + h
}

// InShard reports whether an exam belongs to shard k of n (FNV-1a of the
// exam id modulo n), the same on every machine and whatever the order of
// the images table.
func InShard(examID string, k, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(examID))
	return int(h.Sum64()%uint64(n)) == k
}

// journal is the append-only CSV of rows scored so far.
func journal(out string) string { return out + ".partial" }

type row struct {
	idx    int // position in the shard's exams
	fields []string
}

// Score scores the exams of the images table (those of the shard) with
// model m and writes out (CSV, gzip or Parquet by its extension) with one
// row per exam in the order of the images table.
func Score(m *models.File, images []datasets.Image, out string, opts Options) (*Summary, error) {
	if !m.IsImage() || m.ImagePrep == nil {
		return nil, fmt.Errorf("scoring: a %s model does not score images; train one with --model cnn or use an ONNX model", m.Kind)
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Batch <= 0 {
		opts.Batch = 16
	}
	if opts.Shards > 1 && (opts.Shard < 0 || opts.Shard >= opts.Shards) {
		return nil, fmt.Errorf("scoring: shard %d of %d: want 0 ≤ k < n", opts.Shard, opts.Shards)
	}
	if _, err := datasets.FormatOf(out); err != nil {
		return nil, err
	}
	groups, err := features.GroupImages(images)
	if err != nil {
		return nil, err
	}
	var exams []features.ExamImages
	for _, g := range groups {
		if InShard(g.ExamID, opts.Shard, opts.Shards) {
			exams = append(exams, g)
		}
	}
	sum := &Summary{Output: out, Exams: len(exams), ModelID: ModelID(m), ModelHash: m.ParamsHash, ErrorReasons: map[string]int{}}
	if opts.Shards > 1 {
		sum.Shard = fmt.Sprintf("%d/%d", opts.Shard, opts.Shards)
	}
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("%s exists: scores are written once; remove it to score again", out)
	}
	index := make(map[string]int, len(exams))
	for i, e := range exams {
		index[e.ExamID] = i
	}
	unlock, err := lockOutput(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	done := make([][]string, len(exams))
	jpath := journal(out)
	state := &journalState{last: chainStart(m.JournalKey())}
	if _, err := os.Stat(jpath); err == nil {
		if !opts.Resume {
			return nil, fmt.Errorf("%s: an interrupted run left its scores here; --resume continues it (or remove the file to start again)", jpath)
		}
		if state, err = readJournal(jpath, index, done, m.ParamsHash, m.JournalKey()); err != nil {
			return nil, err
		}
		sum.Resumed = state.resumed
	}
	jf, err := os.OpenFile(jpath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return nil, err
	}
	defer jf.Close()
	if st, err := jf.Stat(); err == nil && st.Size() == 0 {
		if err := writeRows(jf, [][]string{journalColumns}); err != nil {
			return nil, err
		}
	}
	jw := &journalWriter{f: jf, prev: state.last}
	// Exams whose images were being read when the last run stopped get an
	// error row, unless asked to try them again: a file that kills the
	// reader must not kill every resumption.
	if opts.RetryStopped {
		for i, r := range done {
			if r != nil && r[7] == stoppedReason {
				done[i] = nil
				sum.Resumed--
			}
		}
	} else {
		var rows [][]string
		for _, i := range state.stopped {
			if done[i] != nil {
				continue
			}
			if opts.Isolate != nil {
				var paths []string
				for _, p := range exams[i].Paths {
					if p != "" && !filepath.IsAbs(p) {
						p = filepath.Join(opts.Root, p)
					}
					paths = append(paths, p)
				}
				if err := opts.Isolate(paths); err == nil {
					continue // it reads safely: score it with the rest
				}
			}
			done[i] = []string{exams[i].ExamID, StatusError, "", "", "", "", "", stoppedReason, sum.ModelID, m.ParamsHash}
			rows = append(rows, done[i])
		}
		if err := jw.write(rows); err != nil {
			return nil, err
		}
		sum.Stopped = len(rows)
	}
	start := time.Now()
	var todo []int
	for i := range exams {
		if done[i] == nil {
			todo = append(todo, i)
		}
	}
	if err := scoreExams(m, exams, todo, done, jw, opts, len(exams)-len(todo), sum.ModelID); err != nil {
		return nil, err
	}
	if err := jf.Sync(); err != nil {
		return nil, err
	}
	if err := writeScores(out, done); err != nil {
		return nil, err
	}
	if err := os.Remove(jpath); err != nil {
		return nil, err
	}
	for _, r := range done {
		es := ExamScore{ExamID: r[0], Status: r[1], Score: math.NaN()}
		if r[1] == StatusOK {
			sum.Scored++
			if es.Score, err = strconv.ParseFloat(r[6], 64); err != nil {
				return nil, fmt.Errorf("exam %s: score %q: %w", datasets.IDText(r[0]), r[6], err)
			}
		}
		sum.Scores = append(sum.Scores, es)
		if r[1] != StatusOK {
			sum.Errors++
			sum.ErrorReasons[errorKind(r[7])]++
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.ExamsPerSec = float64(len(todo)) / sum.Seconds
		sum.ImagesPerSec = 4 * sum.ExamsPerSec
	}
	return sum, nil
}

// errorKind groups error messages for the summary.
func errorKind(msg string) string {
	switch {
	case (strings.HasPrefix(msg, "no ") || strings.Contains(msg, ": no ")) && strings.Contains(msg, "image"):
		return "missing view"
	case strings.Contains(msg, "no such file"):
		return "missing file"
	case strings.Contains(msg, "the images table says"):
		return "tags contradict the images table"
	case strings.Contains(msg, "FOR PROCESSING"):
		return "raw (for processing) image"
	case strings.Contains(msg, imageio.ErrNotMammogram.Error()):
		return "not a mammogram view"
	case strings.Contains(msg, imageio.ErrNoContrast.Error()):
		return "no usable contrast"
	default:
		return "unreadable image"
	}
}

// scoreExams scores exams[todo] on opts.Workers goroutines, each with its
// own inference graph, and appends their rows to the journal as batches
// finish.
func scoreExams(m *models.File, exams []features.ExamImages, todo []int, done [][]string, jw *journalWriter, opts Options, resumed int, modelID string) error {
	batches := make(chan []int)
	results := make(chan []row, opts.Workers)
	errc := make(chan error, opts.Workers)
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		sc, err := m.NewImageScorer(opts.Batch)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				rows, err := scoreBatch(m, sc, exams, b, opts.Root, modelID, jw)
				if err != nil {
					errc <- err
					halt()
					return
				}
				results <- rows
			}
		}()
	}
	go func() {
		defer close(batches)
		for lo := 0; lo < len(todo); lo += opts.Batch {
			select {
			case batches <- todo[lo:min(len(todo), lo+opts.Batch)]:
			case <-stop:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	n := resumed
	if opts.Progress != nil {
		opts.Progress(n, len(exams))
	}
	var werr error
	for rows := range results {
		if werr != nil {
			continue
		}
		lines := make([][]string, len(rows))
		for k, r := range rows {
			lines[k] = r.fields
			done[r.idx] = r.fields
		}
		if werr = jw.write(lines); werr != nil {
			halt()
			continue
		}
		n += len(rows)
		if opts.Progress != nil {
			opts.Progress(n, len(exams))
		}
	}
	select {
	case err := <-errc:
		return err
	default:
	}
	return werr
}

// scoreBatch loads the exams of a batch and scores those that loaded; the
// others get an error row.
func scoreBatch(m *models.File, sc models.ImageScorer, exams []features.ExamImages, batch []int, root, modelID string, jw *journalWriter) ([]row, error) {
	var ok []int
	var views []models.Exam
	rows := make([]row, 0, len(batch))
	for _, i := range batch {
		if err := jw.marker(exams[i].ExamID, markReading, modelID, m.ParamsHash); err != nil {
			return nil, err
		}
		v, err := m.ImagePrep.LoadExam(root, exams[i])
		if err := jw.marker(exams[i].ExamID, markRead, modelID, m.ParamsHash); err != nil {
			return nil, err
		}
		if err != nil {
			msg := strings.Join(strings.Fields(err.Error()), " ") // one line
			rows = append(rows, row{i, []string{exams[i].ExamID, StatusError, "", "", "", "", "", msg, modelID, m.ParamsHash}})
			continue
		}
		ok = append(ok, i)
		views = append(views, v)
	}
	if len(views) > 0 {
		scores, err := sc.Score(views)
		if err != nil {
			return nil, err
		}
		for k, i := range ok {
			s := scores[k]
			f := []string{exams[i].ExamID, StatusOK, "", "", "", "", formatScore(s.Exam), "", modelID, m.ParamsHash}
			for v := 0; v < 4; v++ {
				f[2+v] = formatScore(s.Views[v])
			}
			rows = append(rows, row{i, f})
		}
	}
	return rows, nil
}

func formatScore(p float64) string { return strconv.FormatFloat(p, 'g', 6, 64) }

// writeRows writes CSV lines in one write, so that a kill leaves at most
// one partial line at the end of the journal.
func writeRows(w io.Writer, rows [][]string) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeScores writes the final scores file, one row per exam in order.
func writeScores(out string, rows [][]string) error {
	cols := make([]datasets.ColumnSpec, len(Columns))
	for i, c := range Columns {
		cols[i] = datasets.ColumnSpec{Name: c, Kind: datasets.KindString}
		if strings.HasPrefix(c, "score_") || c == "exam_score" {
			cols[i].Kind = datasets.KindFloat
		}
	}
	w, err := datasets.CreateTable(out, cols)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for c, v := range r {
			if cols[c].Kind == datasets.KindFloat {
				x := 0.0
				if v == "" {
					w.Null()
					continue
				}
				if x, err = strconv.ParseFloat(v, 64); err != nil {
					w.Abort()
					return fmt.Errorf("%s: score %q of exam %s: %w", out, v, datasets.IDText(r[0]), err)
				}
				w.Float(x, -1)
				continue
			}
			w.String(v)
		}
		if err := w.EndRow(); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// MergeSummary reports Merge.
type MergeSummary struct {
	Output    string   `json:"output"`
	Inputs    []string `json:"inputs"`
	Exams     int      `json:"exams"`
	Scored    int      `json:"scored"`
	Errors    int      `json:"errors"`
	Missing   []string `json:"missing,omitempty"`
	Repeated  []string `json:"repeated,omitempty"`
	Unknown   []string `json:"unknown,omitempty"`
	ModelID   string   `json:"model_id"`
	ModelHash string   `json:"model_sha256"`
}

// Merge joins the scores files of the shards of a round into out, in the
// order of the images table, after checking that they come from one model
// and hold every exam of the table exactly once (else ErrIncomplete with
// the exams named in the summary, and no output).
func Merge(images []datasets.Image, inputs []string, out string) (*MergeSummary, error) {
	groups, err := features.GroupImages(images)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(groups))
	for i, g := range groups {
		index[g.ExamID] = i
	}
	rows := make([][]string, len(groups))
	sum := &MergeSummary{Output: out, Inputs: inputs, Exams: len(groups)}
	var firstFile string
	for _, in := range inputs {
		fr, err := datasets.ReadFrame(in)
		if err != nil {
			return nil, err
		}
		cols := make([][]string, len(Columns))
		for c, name := range Columns {
			if cols[c], err = fr.Strings(name); err != nil {
				return nil, err
			}
		}
		for r := 0; r < fr.Len(); r++ {
			rec := make([]string, len(Columns))
			for c := range Columns {
				rec[c] = cols[c][r]
			}
			if sum.ModelHash == "" {
				sum.ModelHash, sum.ModelID, firstFile = rec[9], rec[8], in
			} else if rec[9] != sum.ModelHash {
				return nil, fmt.Errorf("%s:%d: scored by model %s (SHA-256 %s), but %s by model %s (SHA-256 %s): a round is scored with one model",
					in, fr.Line(r), rec[8], rec[9], firstFile, sum.ModelID, sum.ModelHash)
			}
			i, ok := index[rec[0]]
			switch {
			case !ok:
				sum.Unknown = append(sum.Unknown, rec[0])
			case rows[i] != nil:
				sum.Repeated = append(sum.Repeated, rec[0])
			default:
				rows[i] = rec
			}
		}
	}
	for i, r := range rows {
		switch {
		case r == nil:
			sum.Missing = append(sum.Missing, groups[i].ExamID)
		case r[1] == StatusOK:
			sum.Scored++
		default:
			sum.Errors++
		}
	}
	if len(sum.Missing)+len(sum.Repeated)+len(sum.Unknown) > 0 {
		return sum, fmt.Errorf("%w: %d missing (%s), %d repeated (%s), %d not in the images table (%s)", ErrIncomplete,
			len(sum.Missing), firstFew(sum.Missing), len(sum.Repeated), firstFew(sum.Repeated), len(sum.Unknown), firstFew(sum.Unknown))
	}
	return sum, writeScores(out, rows)
}

func firstFew(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	if len(ids) > 5 {
		return strings.Join(ids[:5], ", ") + ", …"
	}
	return strings.Join(ids, ", ")
}

// ReadImages reads an images table and returns its rows and its folder
// (where relative image paths start).
func ReadImages(path string) ([]datasets.Image, string, error) {
	images, _, _, err := datasets.ReadAll(path, datasets.ImageSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, "", err
	}
	return images, filepath.Dir(path), nil
}
