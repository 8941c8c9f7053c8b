// Package render writes any screenlab result as an aligned table for
// people, JSON for programs, or CSV with a header, from one description:
// the result's exported fields and their json tags (the names of the CLI
// contract in DESIGN.md).
//
// Conventions, so that library result types need not import this package:
//   - a float that is NaN or ±Inf is written as null (JSON), "" (CSV) or "-"
//     (table): undefined estimates never look like numbers;
//   - a field tagged `json:"-"` whose type has a method
//     InlineColumns() (names, values []string) puts those columns at its
//     place in the row (the --by columns of grouped results);
//   - nested structs are flattened in tables and CSV as parent.child;
//   - nil slices are written as [] in JSON.
//
// Table and CSV output shows the scalar fields of the result, then each
// slice of structs as a table (CSV: only the first such slice, the result's
// main rows, or the scalars as one row when there is no slice).
//
// Entry points: Write (Format: table, JSON, CSV), ReadJSON (the inverse of
// the JSON writer), FormatNumber.
package render
