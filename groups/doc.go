// Package groups orders category levels and groups table rows by the values
// of key columns — one ordering for every analysis, so that `survival cox`,
// `train`, `screening metrics`, `incidence rates` and `evaluate --by` put
// the same levels in the same order and pick the same reference level.
//
// The order is natural: two values that both begin with a number compare by
// that number (so 5-9 comes before 10-14, and 2 before 10), any other pair
// compares as text (SU01 < SU02, I < II < III < IV, a < b).
//
// Entry points:
//   - Less, LessKeys: the order of one value and of a row of key values;
//   - Levels: the sorted distinct levels of a column and each row's code;
//   - By: rows grouped by key columns, groups in order;
//   - Key: the key columns of a result row, which the renderers put first.
package groups
