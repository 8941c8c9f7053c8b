// Package suppress protects small counts in published tables, as cancer
// registries must, and audits a published table the way an attacker would.
//
// A table is described as what it tells a reader (Table): its cells (counts
// of persons or events, shown or hidden, with the reason each hidden cell
// is hidden) and the linear relations that hold among them (a total is the
// sum of its parts, a numerator is at most its denominator, a standardised
// rate is a known weighted sum of age-specific counts). Protect hides every
// count below the threshold (primary suppression) and then hides
// complementary cells until Audit, which solves for every hidden cell from
// the shown cells, the relations and the bounds the labels give away, finds
// no hidden cell with a unique value (Cox 1980, "Suppression methodology and
// statistical disclosure control", JASA 75:377; the audit is the linear
// program of τ-ARGUS, Hundepool et al. 2012, Statistical Disclosure Control,
// §4.3).
//
// What a reader knows of a hidden cell: zeros are always shown, so a hidden
// cell is at least 1; a primary cell lies in [1, n−1]; a complementary cell
// of a kind that primary suppression applies to is at least n (every
// smaller one is primary); any other hidden figure is at least 0.
// Each cell is an integer, so a hidden cell whose range holds one integer
// is disclosed.
//
// Entry points: Table, Protect, Audit, Small.
package suppress
