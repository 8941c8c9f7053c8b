package features

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
)

// ViewNames are the four standard views of a screening exam in the order
// that image models take them.
var ViewNames = [4]string{"R_CC", "R_MLO", "L_CC", "L_MLO"}

// ViewIndex is the position of a view in ViewNames.
func ViewIndex(laterality byte, view string) int {
	i := 0
	if laterality == 'L' {
		i = 2
	}
	if view == "MLO" {
		i++
	}
	return i
}

// ExamImages are the image files of one exam by view ("" where the images
// table has none).
type ExamImages struct {
	ExamID string
	Paths  [4]string
}

// Missing names the first view without an image, or "" when all four are there.
func (e *ExamImages) Missing() string {
	for v, p := range e.Paths {
		if p == "" {
			return ViewNames[v]
		}
	}
	return ""
}

// GroupImages groups the rows of an images table by exam, in the order
// exams first appear; a view listed twice for one exam is an error.
func GroupImages(images []datasets.Image) ([]ExamImages, error) {
	at := map[string]int{}
	var out []ExamImages
	for _, im := range images {
		k, ok := at[im.ExamID]
		if !ok {
			k = len(out)
			at[im.ExamID] = k
			out = append(out, ExamImages{ExamID: im.ExamID})
		}
		v := ViewIndex(im.Laterality, im.View)
		if out[k].Paths[v] != "" {
			return nil, fmt.Errorf("images: exam %s has two %s images (%s and %s)", datasets.IDText(im.ExamID), ViewNames[v], out[k].Paths[v], im.Path)
		}
		out[k].Paths[v] = im.Path
	}
	return out, nil
}

// LoadExam reads and preprocesses the four views of an exam; relative
// paths are taken from root (the images table's folder). The error names
// the view and the file, not the exam (its caller knows which, and
// messages hold no identifiers).
func (p ImagePrep) LoadExam(root string, e ExamImages) ([4][]float32, error) {
	var views [4][]float32
	for v, path := range e.Paths {
		if path == "" {
			return views, fmt.Errorf("no %s image", ViewNames[v])
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		m, err := imageio.ReadCoded(path, p.Limits)
		if err != nil {
			return views, fmt.Errorf("%s: %w", ViewNames[v], err)
		}
		if err := checkTags(m, v); err != nil {
			return views, fmt.Errorf("%s: %s: %w", ViewNames[v], path, err)
		}
		views[v] = p.Preprocess(m).Pixels
	}
	return views, nil
}

// checkTags refuses an image whose DICOM tags contradict the images
// table (laterality or view), and raw detector images ("FOR PROCESSING"),
// which look nothing like the presentation images models are trained on.
func checkTags(m *imageio.Mammogram, v int) error {
	want := ViewNames[v]
	if m.Laterality != "" && m.Laterality != want[:1] {
		return fmt.Errorf("the images table says %s but the file's ImageLaterality is %s", want, m.Laterality)
	}
	if m.View != "" && m.View != want[2:] {
		return fmt.Errorf("the images table says %s but the file's ViewPosition is %s", want, m.View)
	}
	if m.Intent == "FOR PROCESSING" {
		return fmt.Errorf("a FOR PROCESSING (raw detector) image; screenlab's models take FOR PRESENTATION images")
	}
	return nil
}

// LoadExams preprocesses many exams on workers goroutines (GOMAXPROCS when
// 0); errs[i] is exam i's error, nil when it loaded. done, when set, is
// called after each exam (from any goroutine).
func (p ImagePrep) LoadExams(root string, exams []ExamImages, workers int, done func()) (views [][4][]float32, errs []error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	views = make([][4][]float32, len(exams))
	errs = make([]error, len(exams))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				views[i], errs[i] = p.LoadExam(root, exams[i])
				if done != nil {
					done()
				}
			}
		}()
	}
	for i := range exams {
		next <- i
	}
	close(next)
	wg.Wait()
	return views, errs
}
