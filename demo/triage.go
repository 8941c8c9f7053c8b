package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/internal/buildinfo"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/scoring"
	"github.com/screenlab/screenlab/report"
)

// triageCNN trains the CNN on the imaged exams of SU01-SU05, scores the
// held-out units' images with the batch scorer as a user would (from the
// saved model file), measures its AUCs against negative exams for
// screen-detected and for interval cancers beside the generator's AI
// score, and replays the reading strategies with both scores on the
// scored exams.
func triageCNN(dir, regDir string, linked []datasets.LinkedExam, extra []string, seed uint64) (*report.DemoTriage, []string, error) {
	imagesPath := filepath.Join(regDir, "images.csv")
	images, root, err := scoring.ReadImages(imagesPath)
	if err != nil {
		return nil, nil, err
	}
	lab := models.TriageLabels{TargetName: "outcome"}
	for i := range linked {
		e := &linked[i]
		lab.ExamID = append(lab.ExamID, e.ID)
		lab.Target = append(lab.Target, string(e.Outcome))
		lab.Person = append(lab.Person, e.PersonID)
		lab.Split = append(lab.Split, e.ScreeningUnit)
	}
	modelPath := filepath.Join(dir, "triage.model")
	opts := models.DefaultTriageOptions()
	opts.Seed, opts.ImagesDir, opts.SplitBy, opts.Validate = seed, filepath.Dir(imagesPath), "screening_unit", HeldOut
	opts.Name, opts.Version = modelPath, buildinfo.Version()
	tr, file, err := models.TrainTriage(lab, images, opts)
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
	held := map[string]bool{}
	for _, u := range HeldOut {
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
	res := &report.DemoTriage{Train: tr, Scoring: sum}
	var sdS, sdAI, ivS []float64
	var sdY, ivY []bool
	var scored []datasets.LinkedExam
	var ids []string
	var cnn []float64
	for _, s := range sum.Scores {
		e := byID[s.ExamID]
		if s.Status != scoring.StatusOK || e == nil {
			continue
		}
		scored, ids, cnn = append(scored, *e), append(ids, s.ExamID), append(cnn, s.Score)
		p := s.Score
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
	res.ROC = []report.NamedROC{{Name: "triage CNN", Points: report.ThinROC(evaluation.ROC(sdS, sdY), 400)},
		{Name: "generator's AI score", Points: report.ThinROC(evaluation.ROC(sdAI, sdY), 400)}}
	// The strategies on the exams the CNN scored: every cancer of the
	// held-out units but only 2% of their negative exams (those imaged).
	heldOutPath := filepath.Join(dir, "heldout_scored.csv")
	if err := datasets.WriteLinkedExams(heldOutPath, scored, extra); err != nil {
		return nil, nil, err
	}
	base := strategy.ReplayOptions{Strategies: strategy.DefaultStrategies, Bootstrap: 200, Seed: seed, Level: 0.95}
	withCNN, withAI := base, base
	withCNN.ScoreName, withAI.ScoreName = "exam_score", "ai_score"
	if res.StrategiesCNN, err = strategy.Replay(scored, strategy.JoinedScore(scored, ids, cnn), withCNN); err != nil {
		return nil, nil, fmt.Errorf("reading strategies with the CNN's score: %w", err)
	}
	ai, _ := strategy.ColumnScore(scored, extra, "ai_score")
	if res.StrategiesAI, err = strategy.Replay(scored, ai, withAI); err != nil {
		return nil, nil, fmt.Errorf("reading strategies with the AI score on the CNN's exams: %w", err)
	}
	return res, []string{modelPath, scoresPath, heldOutPath}, nil
}
