package models

import (
	"fmt"
	"math"

	"github.com/screenlab/screenlab/survival"
)

// CoxRisk is a Cox model's absolute risk of an event by a horizon:
//
//	risk(x) = 1 − exp(−H0(τ) · exp(b'x))
//
// with H0 the baseline cumulative hazard at covariates 0 (Breslow with
// Efron's fractions, as survfit on a coxph fit).
type CoxRisk struct {
	Beta         []float64     `json:"beta"`
	Horizon      float64       `json:"horizon"`
	BaselineH    float64       `json:"baseline_cumhaz"`
	Coefficients []Coefficient `json:"coefficients"`
	Concordance  float64       `json:"concordance"`
}

// FitCoxRisk fits a Cox proportional hazards model (Cox 1972; Efron 1977
// ties, survival.FitCox) and keeps what the absolute risk by the horizon τ
// needs:
//
//	risk(x) = 1 − exp(−H0(τ) · exp(b'x)),
//
// with H0 Breslow's (1972) baseline cumulative hazard at covariates 0
// (with Efron's fractions, as survfit on a coxph fit).
func FitCoxRisk(time []float64, event []bool, x []float64, names []string, horizon float64) (*CoxRisk, error) {
	res, err := survival.FitCox(survival.CoxData{Time: time, Event: event, X: x, Names: names}, survival.CoxOptions{})
	if err != nil {
		return nil, err
	}
	if !res.Converged {
		return nil, fmt.Errorf("cox: %v", res.Warnings)
	}
	m := &CoxRisk{Beta: res.Beta, Horizon: horizon, BaselineH: res.Baseline[0].At(horizon), Concordance: res.Concordance}
	for _, c := range res.Coefficients {
		m.Coefficients = append(m.Coefficients, Coefficient{Name: c.Name, Coef: c.Coef, SE: c.SE, Z: c.Z, P: c.P,
			Ratio: c.HR, Lower: c.HRLower, Upper: c.HRUpper})
	}
	return m, nil
}

// Risk is the absolute risk by the horizon.
func (m *CoxRisk) Risk(x []float64) float64 {
	eta := 0.0
	for j, b := range m.Beta {
		eta += b * x[j]
	}
	return 1 - math.Exp(-m.BaselineH*math.Exp(eta))
}

// RecalibrateBaseline rescales the baseline hazard so that the mean
// predicted risk equals the Kaplan–Meier risk by the horizon in new data
// (a baseline-hazard update: H0 ← c·H0, c found by bisection), keeping
// the hazard ratios.
func (m *CoxRisk) RecalibrateBaseline(time []float64, event []bool, x []float64) error {
	km, err := survival.KaplanMeier(time, event, survival.KMOptions{Times: []float64{m.Horizon}})
	if err != nil {
		return err
	}
	if len(km.At) == 0 {
		return fmt.Errorf("recalibration: no follow-up up to the horizon %v", m.Horizon)
	}
	target := 1 - km.At[0].Surv
	p := len(m.Beta)
	n := len(time)
	mean := func(h float64) float64 {
		s := 0.0
		for i := 0; i < n; i++ {
			eta := 0.0
			for j, b := range m.Beta {
				eta += b * x[i*p+j]
			}
			s += 1 - math.Exp(-h*math.Exp(eta))
		}
		return s / float64(n)
	}
	lo, hi := 0.0, m.BaselineH
	for mean(hi) < target {
		hi *= 2
		if hi > 1e6 {
			return fmt.Errorf("recalibration: cannot reach the observed risk %v", target)
		}
	}
	for k := 0; k < 200; k++ {
		mid := (lo + hi) / 2
		if mean(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	m.BaselineH = (lo + hi) / 2
	return nil
}
