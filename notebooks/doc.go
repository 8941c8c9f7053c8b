// Package notebooks holds screenlab's GoNB Jupyter notebooks, one per user
// task (survival and incidence, a risk model, reading strategies, batch
// scoring, the whole demo), each calling the library as a registry
// statistician would. make notebooks runs them (Jupyter and GoNB); the
// tests here check their shape and type-check every cell without Jupyter.
package notebooks
