package screening_test

import (
	"fmt"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
)

// Ten screening exams: three recalled (two cancers found, one false
// positive), one interval cancer, six negative. By hand: recall rate 3/10,
// detection 2/10 × 1000 = 200 per 1000, interval cancers 100 per 1000, PPV
// 2/3, sensitivity 2/(2 + 1) and specificity 6/(6 + 1).
func ExampleScreeningMetrics() {
	exam := func(id string, recall bool, o datasets.Outcome) datasets.LinkedExam {
		return datasets.LinkedExam{Exam: datasets.Exam{ID: id, PersonID: "P" + id, ScreeningUnit: "SU01", Round: 1, Recall: recall, Consensus: -1}, Outcome: o}
	}
	exams := []datasets.LinkedExam{
		exam("1", true, datasets.ScreenDetected), exam("2", true, datasets.ScreenDetected), exam("3", true, datasets.Negative),
		exam("4", false, datasets.Interval),
	}
	for i := 5; i <= 10; i++ {
		exams = append(exams, exam(fmt.Sprint(i), false, datasets.Negative))
	}
	rep, err := screening.ScreeningMetrics(exams, nil, screening.ScreeningOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Rows[0]
	fmt.Printf("recall %.2f, detection %.0f and interval %.0f per 1000\n", r.RecallRate, r.CDR, r.IntervalRate)
	fmt.Printf("PPV %.3f, sensitivity %.3f (Wilson 95%% CI %.3f-%.3f), specificity %.3f\n", r.PPV, r.Sensitivity, r.SensitivityLower, r.SensitivityUpper, r.Specificity)
	// Output:
	// recall 0.30, detection 200 and interval 100 per 1000
	// PPV 0.667, sensitivity 0.667 (Wilson 95% CI 0.208-0.939), specificity 0.857
}
