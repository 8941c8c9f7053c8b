// Package glm fits generalised linear models with canonical links by
// iteratively reweighted least squares (Nelder & Wedderburn 1972; McCullagh
// & Nelder 1989, ch. 2): the one fitting loop behind logistic regression
// (models), logistic recalibration and calibration slopes (evaluation) and
// Poisson trends (incidence).
//
// Each iteration solves
//
//	(XᵀWX + Λ) β = XᵀW z,  z = η − offset + (y − μ) / V(μ),  W = diag(w·V(μ))
//
// with V(μ) = μ(1 − μ) (binomial, logit link) or μ (Poisson, log link) and
// Λ = diag(L2) a ridge penalty; it starts, as R's glm does, from
// μ = (y + 0.5)/2 (binomial) or y + 0.1 (Poisson), or with an offset from
// β = 0, and stops when the
// (penalised) deviance changes by less than Tol relative to itself
// (|D − D_prev| / (|D| + 0.1) < Tol, R's glm.control rule).
package glm
