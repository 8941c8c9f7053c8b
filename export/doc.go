// Package export writes research extracts a registry can defend to its
// data protection officer: only the tables and variables a project's
// protocol allows, no direct identifier whatever the protocol says, every
// reserved person removed from every table (also rows that reach a person
// only through a join), person ids replaced by pseudonyms, dates coarsened,
// every combination of quasi-identifiers shared by at least k persons, and
// a manifest that accounts for every row.
//
// Pseudonyms are the lower-case hex HMAC-SHA256 (RFC 2104) of the id keyed
// with the bytes of the project's key file: stable within a project and
// across its deliveries, not linkable across projects (another key), and
// not reversible without the key. Other identifying keys (a diagnosis id)
// are pseudonymised the same way with the column name and a NUL byte
// before the value, so that two columns never share pseudonyms.
//
// k-anonymity (Samarati and Sweeney 1998): persons are grouped by the
// values of the protocol's quasi-identifiers; a person in a group smaller
// than k has the least important of their quasi-identifiers not yet
// suppressed set to empty, and the groups are formed again, until every
// group holds k or more (local suppression, as sdcMicro's localSuppression
// with the importance the protocol's order gives; Templ et al. 2015). A
// suppressed value is its own category, never a wildcard (a lone blank row
// would single its person out to anyone who knows they are in the cohort).
// Persons whose group stays below k with everything suppressed are
// withheld whole and counted as suppressed rows; the groups are checked
// again before anything is written, and the export fails rather than
// write one below k.
package export
