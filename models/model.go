package models

// Model is what every screenlab model offers on a design row: a
// probability (logistic) or an absolute risk by a horizon (Cox), and its
// terms.
type Model interface {
	Predict(x []float64) float64
	Terms() []Coefficient
}

// Terms returns the coefficients.
func (m *Logistic) Terms() []Coefficient { return m.Coefficients }

// Predict is the absolute risk by the horizon.
func (m *CoxRisk) Predict(x []float64) float64 { return m.Risk(x) }

// Terms returns the coefficients (hazard ratios in Ratio).
func (m *CoxRisk) Terms() []Coefficient { return m.Coefficients }

// Model returns the file's model on design rows; nil for an image model
// (CNN), which scores exams' images.
func (f *File) Model() Model {
	switch {
	case f.Logistic != nil:
		return f.Logistic
	case f.Forest != nil:
		return f.Forest
	case f.Cox != nil:
		return f.Cox
	}
	return nil // an image model (CNN, ONNX) scores exams' images
}
