package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/scoring"
	"github.com/screenlab/screenlab/report"
)

// DemoTriage is the demo's triage CNN: trained on units SU01–SU05, the
// held-out units' imaged exams scored by screenlab score, and its AUCs
// (DeLong) against negative exams for screen-detected and for interval
// cancers, beside the generator's AI score on the same exams.
type DemoTriage struct {
	Train            *models.CNNTrainResult `json:"train"`
	Scoring          *scoring.Summary       `json:"scoring"`
	ScreenDetected   evaluation.AUC         `json:"auc_screen_detected"`
	Interval         evaluation.AUC         `json:"auc_interval"`
	AIScreenDetected evaluation.AUC         `json:"ai_score_auc_screen_detected"`
	NScreenDetected  int                    `json:"n_screen_detected"`
	NInterval        int                    `json:"n_interval"`
	NNegative        int                    `json:"n_negative"`
	// ROC curves on the held-out imaged exams (thinned for the report).
	ROC []NamedROC `json:"roc"`
	// Reading strategies replayed on the same held-out imaged exams, with
	// the CNN's score and with the generator's AI score.
	StrategiesCNN *strategy.TriageReport `json:"strategies_cnn"`
	StrategiesAI  *strategy.TriageReport `json:"strategies_ai"`
}

// NamedROC is an ROC curve with its name.
type NamedROC struct {
	Name   string                `json:"name"`
	Points []evaluation.ROCPoint `json:"points"`
}

// quietStreams are streams that show nothing, for library calls of the
// commands' code.
func quietStreams() *ui.Streams {
	s, _, _, _ := ui.Test()
	s.Quiet = true
	return s
}

var demoHeldOut = []string{"SU06", "SU07", "SU08"}

// demoTriage trains the CNN, scores the held-out units and evaluates it.
func demoTriage(dir, regDir, linkedPath string, linked []datasets.LinkedExam, extra []string, seed uint64) (*DemoTriage, []string, error) {
	c := defaultCNNFlags()
	c.Images = filepath.Join(regDir, "images.csv")
	modelPath := filepath.Join(dir, "triage.model")
	topts := &trainOptions{f: &Factory{Seed: seed, IO: quietStreams()}, Model: "cnn", Data: linkedPath, Target: "outcome", CNN: c,
		SplitBy: "screening_unit", Validate: demoHeldOut, Out: modelPath}
	tr, file, err := TrainCNN(topts)
	if err != nil {
		return nil, nil, fmt.Errorf("triage CNN: %w", err)
	}
	if err := models.Save(modelPath, file); err != nil {
		return nil, nil, err
	}
	m, err := models.Load(modelPath) // as a user would: the saved file
	if err != nil {
		return nil, nil, err
	}
	images, root, err := scoring.ReadImages(c.Images)
	if err != nil {
		return nil, nil, err
	}
	held := map[string]bool{}
	for _, u := range demoHeldOut {
		held[u] = true
	}
	byID := make(map[string]*datasets.LinkedExam, len(linked))
	for i := range linked {
		byID[linked[i].ID] = &linked[i]
	}
	var round []datasets.Image
	for _, im := range images {
		if e := byID[im.ExamID]; e != nil && held[e.ScreeningUnit] {
			round = append(round, im)
		}
	}
	scoresPath := filepath.Join(dir, "triage_scores.csv")
	for _, p := range []string{scoresPath, scoresPath + ".partial"} { // from an earlier demo
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return nil, nil, err
		}
	}
	sum, err := scoring.Score(m, round, scoresPath, scoring.Options{Root: root})
	if err != nil {
		return nil, nil, err
	}
	fr, err := datasets.ReadFrameColumns(scoresPath, "exam_id", "status", "exam_score")
	if err != nil {
		return nil, nil, err
	}
	ids, _ := fr.Strings("exam_id")
	status, _ := fr.Strings("status")
	score, _ := fr.Strings("exam_score")
	res := &DemoTriage{Train: tr, Scoring: sum}
	var sdS, sdAI, ivS []float64
	var sdY, ivY []bool
	for i, id := range ids {
		e := byID[id]
		if status[i] != scoring.StatusOK || e == nil {
			continue
		}
		p, err := strconv.ParseFloat(score[i], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: exam %s: score %q", scoresPath, id, score[i])
		}
		switch e.Outcome {
		case datasets.Negative:
			sdS, sdAI, sdY = append(sdS, p), append(sdAI, e.AIScore), append(sdY, false)
			ivS, ivY = append(ivS, p), append(ivY, false)
			res.NNegative++
		case datasets.ScreenDetected:
			sdS, sdAI, sdY = append(sdS, p), append(sdAI, e.AIScore), append(sdY, true)
			res.NScreenDetected++
		case datasets.Interval:
			ivS, ivY = append(ivS, p), append(ivY, true)
			res.NInterval++
		}
	}
	if res.ScreenDetected, err = evaluation.AUCDeLong(sdS, sdY, 0.95); err != nil {
		return nil, nil, fmt.Errorf("triage CNN, screen-detected AUC: %w", err)
	}
	if res.AIScreenDetected, err = evaluation.AUCDeLong(sdAI, sdY, 0.95); err != nil {
		return nil, nil, fmt.Errorf("AI score AUC: %w", err)
	}
	if res.Interval, err = evaluation.AUCDeLong(ivS, ivY, 0.95); err != nil {
		return nil, nil, fmt.Errorf("triage CNN, interval AUC: %w", err)
	}
	res.ROC = []NamedROC{{"triage CNN", report.ThinROC(evaluation.ROC(sdS, sdY), 400)},
		{"generator's AI score", report.ThinROC(evaluation.ROC(sdAI, sdY), 400)}}
	// The strategies on the exams the CNN scored: every cancer of the
	// held-out units but only 2% of their negative exams (those imaged).
	var scored []datasets.LinkedExam
	for i, id := range ids {
		if e := byID[id]; e != nil && status[i] == scoring.StatusOK {
			scored = append(scored, *e)
		}
	}
	heldOutPath := filepath.Join(dir, "heldout_scored.csv")
	if err := datasets.WriteLinkedExams(heldOutPath, scored, extra); err != nil {
		return nil, nil, err
	}
	base := triageOptions{f: &Factory{Seed: seed, IO: quietStreams()}, Data: heldOutPath, Strategies: strategy.DefaultStrategies, Bootstrap: 200, Level: 0.95}
	cnn, ai := base, base
	cnn.Scores, cnn.Score = scoresPath, "exam_score"
	ai.Score = "ai_score"
	if res.StrategiesCNN, err = SimulateTriage(&cnn); err != nil {
		return nil, nil, fmt.Errorf("reading strategies with the CNN's score: %w", err)
	}
	if res.StrategiesAI, err = SimulateTriage(&ai); err != nil {
		return nil, nil, fmt.Errorf("reading strategies with the AI score on the CNN's exams: %w", err)
	}
	return res, []string{modelPath, scoresPath, heldOutPath}, nil
}
