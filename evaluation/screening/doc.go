// Package screening computes the indicators of a screening programme from
// linked exams: the European guidelines' screening metrics (recall,
// detection, interval cancers, PPV, sensitivity, specificity, with
// intervals) overall and by group, their disclosure control, and quality
// indicators per unit against targets with funnel plot limits.
//
// Entry points: ScreeningMetrics and Suppress; BuiltinIndicators,
// ParseIndicators, ComputeIndicator and ComputeIndicators (with
// suppression); AgeGroup.
package screening
