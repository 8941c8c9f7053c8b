package scoring

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

var fixture struct {
	once   sync.Once
	dir    string
	images []datasets.Image
	model  *models.File
	err    error
}

// setup generates a small synthetic round with images (once) and a small
// untrained CNN.
func setup(t *testing.T) (string, []datasets.Image, *models.File) {
	t.Helper()
	fixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "scoring")
		if err != nil {
			fixture.err = err
			return
		}
		fixture.dir = dir
		if _, err := synth.Generate(dir, synth.Config{Persons: 60, Seed: 5, Images: true, ImageWidth: 48, ImageHeight: 64}); err != nil {
			fixture.err = err
			return
		}
		fixture.images, _, fixture.err = ReadImages(filepath.Join(dir, "images.csv"))
		if fixture.err != nil {
			return
		}
		cnn, err := models.NewCNN(16, 1)
		if err != nil {
			fixture.err = err
			return
		}
		f := &models.File{Kind: "cnn", CNN: cnn, ImagePrep: &features.ImagePrep{Width: 16, Height: 16}}
		path := filepath.Join(dir, "m.model")
		if fixture.err = models.Save(path, f); fixture.err == nil {
			fixture.model, fixture.err = models.Load(path)
		}
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.dir, fixture.images, fixture.model
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func lines(b []byte) []string { return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") }

// TestScoreEveryExamOnce: one row per exam of the images table, in its
// order, whatever the number of workers (the same bytes: a batch's size,
// not its exams or their places, decides the float32 arithmetic); a corrupt file,
// a missing file and a missing view each give an error row that says why.
func TestScoreEveryExamOnce(t *testing.T) {
	dir, images, m := setup(t)
	groups := map[string]bool{}
	var order []string
	for _, im := range images {
		if !groups[im.ExamID] {
			groups[im.ExamID] = true
			order = append(order, im.ExamID)
		}
	}
	// Break three exams: junk in one file, one file gone, one view unlisted.
	work := t.TempDir()
	imgs := append([]datasets.Image(nil), images...)
	for i := range imgs {
		imgs[i].Path = filepath.Join(dir, imgs[i].Path)
	}
	junk := filepath.Join(work, "junk.dcm")
	os.WriteFile(junk, []byte("not a dicom file at all"), 0o644)
	imgs[0].Path = junk                            // exam order[0]
	imgs[5].Path = filepath.Join(work, "gone.dcm") // exam order[1]
	imgs = append(imgs[:9], imgs[10:]...)          // exam order[2] loses a view
	out1, out2 := filepath.Join(work, "a.csv"), filepath.Join(work, "b.csv")
	s1, err := Score(m, imgs, out1, Options{Workers: 1, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Score(m, imgs, out2, Options{Workers: 2, Batch: 3}); err != nil {
		t.Fatal(err)
	}
	a := read(t, out1)
	if !bytes.Equal(a, read(t, out2)) {
		b := lines(read(t, out2))
		for i, l := range lines(a) {
			if l != b[i] {
				t.Errorf("1 worker and 2 workers wrote different scores:\n%s\n%s", l, b[i])
				break
			}
		}
	}
	rows := lines(a)[1:]
	if len(rows) != len(order) || s1.Exams != len(order) || s1.Scored+s1.Errors != len(order) {
		t.Fatalf("%d rows, summary %+v, for %d exams", len(rows), s1, len(order))
	}
	for i, r := range rows {
		if !strings.HasPrefix(r, order[i]+",") {
			t.Fatalf("row %d is %q, want exam %s", i, r, order[i])
		}
	}
	for i, want := range []string{"junk.dcm", "gone.dcm", "image"} {
		if !strings.Contains(rows[i], ",error,") || !strings.Contains(rows[i], want) {
			t.Errorf("exam %s: row %q, want an error row naming %q", order[i], rows[i], want)
		}
	}
	if s1.Errors != 3 || s1.ErrorReasons["missing view"] != 1 || s1.ErrorReasons["missing file"] != 1 || s1.ErrorReasons["unreadable image"] != 1 {
		t.Errorf("summary errors %d %v", s1.Errors, s1.ErrorReasons)
	}
	if _, err := os.Stat(out1 + ".partial"); !os.IsNotExist(err) {
		t.Error("the journal was left behind")
	}
	if _, err := Score(m, imgs, out1, Options{}); err == nil {
		t.Error("an existing scores file was overwritten")
	}
}

// uninterrupted scores the round once into work/ref.csv, the reference a
// resumed run must equal, and returns its path and bytes.
func uninterrupted(t *testing.T, work, dir string, images []datasets.Image, m *models.File) (string, []byte) {
	t.Helper()
	ref := filepath.Join(work, "ref.csv")
	if _, err := Score(m, images, ref, Options{Root: dir, Batch: 4}); err != nil {
		t.Fatal(err)
	}
	return ref, read(t, ref)
}

// writeJournal writes a journal holding rows (lines of a scores file) and
// markers, chained as a run writes them, and returns its bytes.
func writeJournal(t *testing.T, path, hash string, rows ...[]string) []byte {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	writeRows(f, [][]string{journalColumns})
	jw := &journalWriter{f: f, prev: chainStart(hash)}
	if err := jw.write(rows); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	return b
}

func fields(line string) []string {
	r, _ := csv.NewReader(strings.NewReader(line)).Read()
	return r
}

// TestScoreResume: a journal cut in the middle of a line (as a kill -9
// leaves it) is resumed into the same bytes as a run without a stop; a
// journal without --resume, or from another model, is refused.
func TestScoreResume(t *testing.T) {
	dir, images, m := setup(t)
	work := t.TempDir()
	_, want := uninterrupted(t, work, dir, images, m)
	ls := lines(want)
	out := filepath.Join(work, "s.csv")
	// The first rows in another order, and half a row.
	j := writeJournal(t, out+".partial", m.ParamsHash, fields(ls[7]), fields(ls[3]), fields(ls[4]))
	os.WriteFile(out+".partial", append(j, ls[9][:20]...), 0o644)
	if _, err := Score(m, images, out, Options{Root: dir}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("journal without --resume: %v", err)
	}
	s, err := Score(m, images, out, Options{Root: dir, Resume: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s.Resumed != 3 {
		t.Errorf("resumed %d exams, want 3", s.Resumed)
	}
	if got := read(t, out); !bytes.Equal(got, want) {
		t.Errorf("resumed scores differ from an uninterrupted run:\n%s\nvs\n%s", got[:200], want[:200])
	}
	other := fields(ls[3])
	other[9] = strings.Repeat("0", 64)
	writeJournal(t, filepath.Join(work, "t.csv.partial"), m.ParamsHash, other)
	if _, err := Score(m, images, filepath.Join(work, "t.csv"), Options{Root: dir, Resume: true}); err == nil || !strings.Contains(err.Error(), "not by this model") {
		t.Errorf("journal of another model: %v", err)
	}
}

// The attack: a journal edited by hand — a score changed, a line removed,
// a line added — is refused on --resume, naming the line.
func TestEditedJournalRefused(t *testing.T) {
	dir, images, m := setup(t)
	work := t.TempDir()
	_, want := uninterrupted(t, work, dir, images, m)
	ls := lines(want)
	for _, c := range []struct {
		name string
		edit func([]string) []string
		line string
	}{
		{"a score changed", func(j []string) []string {
			f := fields(j[2])
			f[6] = "0.999"
			j[2] = strings.Join(f, ",")
			return j
		}, ":3:"},
		{"a line removed", func(j []string) []string { return append(j[:2], j[3:]...) }, ":3:"},
		{"a line added", func(j []string) []string {
			return append(j[:3], append([]string{j[1]}, j[3:]...)...)
		}, ":4:"},
	} {
		out := filepath.Join(work, strings.ReplaceAll(c.name, " ", "_")+".csv")
		j := lines(writeJournal(t, out+".partial", m.ParamsHash, fields(ls[1]), fields(ls[2]), fields(ls[3])))
		os.WriteFile(out+".partial", []byte(strings.Join(c.edit(j), "\n")+"\n"), 0o644)
		_, err := Score(m, images, out, Options{Root: dir, Resume: true})
		if err == nil || !strings.Contains(err.Error(), "edited") || !strings.Contains(err.Error(), c.line) {
			t.Errorf("%s: %v", c.name, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: scores were written from an edited journal", c.name)
		}
	}
}

// The attack: an exam whose images kill the reader (here: the journal of
// a run that died while reading it). --resume gives it an error row and
// goes on, never dying at it twice; --retry-stopped tries it again.
func TestResumeNeverDiesTwice(t *testing.T) {
	dir, images, m := setup(t)
	work := t.TempDir()
	ref, want := uninterrupted(t, work, dir, images, m)
	ls := lines(want)
	poisoned := fields(ls[5])[0]
	id := ModelID(m)
	reading := []string{poisoned, markReading, "", "", "", "", "", "", id, m.ParamsHash}
	out := filepath.Join(work, "s.csv")
	writeJournal(t, out+".partial", m.ParamsHash, fields(ls[1]), reading)
	s, err := Score(m, images, out, Options{Root: dir, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	got := lines(read(t, out))
	if s.Stopped != 1 || !strings.HasPrefix(got[5], poisoned+",error,") || !strings.Contains(got[5], "stopped while") || s.Scored != len(ls)-2 {
		t.Errorf("stopped %d, scored %d of %d; the exam's row: %s", s.Stopped, s.Scored, len(ls)-1, got[5])
	}
	// The same journal, resumed with --retry-stopped: scored like the rest.
	out2 := filepath.Join(work, "r.csv")
	writeJournal(t, out2+".partial", m.ParamsHash, fields(ls[1]), reading)
	if _, err := Score(m, images, out2, Options{Root: dir, Resume: true, RetryStopped: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read(t, out2), read(t, ref)) {
		t.Error("--retry-stopped did not score the stopped exam like an uninterrupted run")
	}
	// With a reader in another process: an exam that kills it again gets
	// the error row; one that does not (the operator stopped the run) is
	// scored as if nothing had happened.
	for _, dies := range []bool{true, false} {
		o := filepath.Join(work, fmt.Sprintf("iso-%v.csv", dies))
		writeJournal(t, o+".partial", m.ParamsHash, fields(ls[1]), reading)
		var asked []string
		isolate := func(paths []string) error {
			asked = append(asked, paths...)
			if dies {
				return errors.New("signal: killed")
			}
			return nil
		}
		s, err := Score(m, images, o, Options{Root: dir, Resume: true, Isolate: isolate})
		if err != nil {
			t.Fatal(err)
		}
		same := bytes.Equal(read(t, o), read(t, ref))
		if len(asked) != 4 || !filepath.IsAbs(asked[0]) || dies == same || dies != (s.Stopped == 1) {
			t.Errorf("reader dies %v: asked about %v, stopped %d, same bytes as an uninterrupted run %v", dies, asked, s.Stopped, same)
		}
	}
}

// Two runs on one output: the second is refused while the first holds the
// lock, and a run killed with SIGKILL leaves no lock behind.
func TestOutputLock(t *testing.T) {
	dir, images, m := setup(t)
	out := filepath.Join(t.TempDir(), "s.csv")
	unlock, err := lockOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Score(m, images, out, Options{Root: dir}); err == nil || !strings.Contains(err.Error(), "another screenlab score is writing") {
		t.Errorf("a second run on a locked output: %v", err)
	}
	unlock()
	// A child process takes the lock and is killed.
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$")
	cmd.Env = append(os.Environ(), "SCREENLAB_LOCK_HELPER="+out)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "locked" {
		t.Fatalf("helper: %q %v", buf, err)
	}
	if _, err := lockOutput(out); err == nil {
		t.Error("the helper's lock did not hold")
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := Score(m, images, out, Options{Root: dir}); err != nil {
		t.Errorf("after the holder was killed: %v", err)
	}
}

// TestLockHelper holds the lock for TestOutputLock until killed.
func TestLockHelper(t *testing.T) {
	out := os.Getenv("SCREENLAB_LOCK_HELPER")
	if out == "" {
		t.Skip("run by TestOutputLock")
	}
	if _, err := lockOutput(out); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked")
	time.Sleep(time.Minute)
}

// TestShardsMerge: the shards of a round hold each exam once and merge into
// the unsharded scores; a missing or repeated shard is named.
func TestShardsMerge(t *testing.T) {
	dir, images, m := setup(t)
	work := t.TempDir()
	all := filepath.Join(work, "all.csv")
	if _, err := Score(m, images, all, Options{Root: dir}); err != nil {
		t.Fatal(err)
	}
	var shards []string
	total := 0
	for k := 0; k < 3; k++ {
		p := filepath.Join(work, "shard"+string(rune('0'+k))+".csv")
		s, err := Score(m, images, p, Options{Root: dir, Shard: k, Shards: 3})
		if err != nil {
			t.Fatal(err)
		}
		if s.Exams == 0 {
			t.Errorf("shard %d is empty", k)
		}
		total += s.Exams
		shards = append(shards, p)
	}
	merged := filepath.Join(work, "merged.csv")
	sum, err := Merge(images, shards, merged)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Exams != total || !bytes.Equal(read(t, merged), read(t, all)) {
		t.Errorf("merged %d exams (shards %d); merged file equal to unsharded: %v", sum.Exams, total, bytes.Equal(read(t, merged), read(t, all)))
	}
	sum, err = Merge(images, shards[:2], filepath.Join(work, "m2.csv"))
	if !errors.Is(err, ErrIncomplete) || len(sum.Missing) == 0 {
		t.Errorf("a shard left out: %v", err)
	}
	sum, err = Merge(images, append(shards, shards[1]), filepath.Join(work, "m3.csv"))
	if !errors.Is(err, ErrIncomplete) || len(sum.Repeated) == 0 {
		t.Errorf("a shard twice: %v", err)
	}
	if _, err := os.Stat(filepath.Join(work, "m2.csv")); !os.IsNotExist(err) {
		t.Error("an incomplete merge wrote output")
	}
}

// The attack: shards of one round scored with two different models. The
// merge refuses, naming both models and both files.
func TestMergeOfTwoModelsNamesBoth(t *testing.T) {
	dir := t.TempDir()
	var images []datasets.Image
	for _, e := range []string{"E1", "E2"} {
		for _, lat := range []byte{'L', 'R'} {
			for _, v := range []string{"CC", "MLO"} {
				images = append(images, datasets.Image{ExamID: e, Laterality: lat, View: v, Path: e + string(lat) + v + ".dcm"})
			}
		}
	}
	header := strings.Join(Columns, ",") + "\n"
	a := filepath.Join(dir, "shard-0.csv")
	b := filepath.Join(dir, "shard-1.csv")
	os.WriteFile(a, []byte(header+"E1,ok,0.1,0.1,0.1,0.1,0.1,,cnn-aaaaaaaaaaaa,aaaa\n"), 0o644)
	os.WriteFile(b, []byte(header+"E2,ok,0.2,0.2,0.2,0.2,0.2,,cnn-bbbbbbbbbbbb,bbbb\n"), 0o644)
	_, err := Merge(images, []string{a, b}, filepath.Join(dir, "merged.csv"))
	if err == nil {
		t.Fatal("merged shards of two models")
	}
	for _, want := range []string{"cnn-aaaaaaaaaaaa", "cnn-bbbbbbbbbbbb", "shard-0.csv", "shard-1.csv"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, statErr := os.Stat(filepath.Join(dir, "merged.csv")); !os.IsNotExist(statErr) {
		t.Error("a merged file was written")
	}
}

// The attack: a round where one exam's view is a thumbnail and another's a
// blank image. Those two exams get error rows saying why; every other exam
// is scored; nothing stops the round.
func TestNotMammogramsAreErrorRows(t *testing.T) {
	dir, images, model := setup(t)
	thumb := filepath.Join(dir, "thumb.dcm")
	blank := filepath.Join(dir, "blank.dcm")
	info := imageio.DICOMInfo{PatientID: "X", StudyUID: "2.25.9", SOPUID: "2.25.10", Laterality: "L", View: "CC"}
	if err := imageio.WriteDICOM(thumb, 8, 8, make([]uint16, 64), info); err != nil {
		t.Fatal(err)
	}
	if err := imageio.WriteDICOM(blank, 48, 64, make([]uint16, 48*64), info); err != nil {
		t.Fatal(err)
	}
	round := append([]datasets.Image(nil), images...)
	bad := map[string]string{round[0].ExamID: "thumb.dcm"}
	for _, im := range round {
		if im.ExamID != round[0].ExamID {
			bad[im.ExamID] = "blank.dcm"
			break
		}
	}
	for i, im := range round {
		if p, ok := bad[im.ExamID]; ok && im.Laterality == 'L' && im.View == "CC" {
			round[i].Path = p
		}
	}
	out := filepath.Join(t.TempDir(), "scores.csv")
	sum, err := Score(model, round, out, Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ErrorReasons["not a mammogram view"] != 1 || sum.ErrorReasons["no usable contrast"] != 1 || sum.Errors != 2 || sum.Scored != sum.Exams-2 {
		t.Errorf("summary %+v", sum)
	}
	for _, s := range sum.Scores {
		if _, isBad := bad[s.ExamID]; isBad != (s.Status == StatusError) {
			t.Errorf("exam %s: status %s", s.ExamID, s.Status)
		}
	}
}
