// Package datasets reads, validates and writes the registry tables
// (persons, exams, images, diagnoses, life table, population; CSV, gzip,
// Parquet or standard input), links screening exams to registry-confirmed
// outcomes, builds cohorts, and holds the synthetic registry generator
// (sub-package synth) and image codecs (sub-package imageio).
//
// Every reader reports bad input as a *RowError naming the file, line,
// column, field, value and what was expected. Readers are strict by default
// (stop at the first bad row); a lenient reader collects rejected rows with
// their reasons so that read = accepted + rejected.
//
// Entry points:
//   - tables: ReadAll, OpenSource, CreateTable, WriteTable and the schemas
//     (PersonSchema, ExamSchema, DiagnosisSchema, ImageSchema, …);
//   - a registry: LoadRegistry, LinkOutcomes (screen-detected, interval,
//     negative, unknown), WriteLinkedExams, LinkedFrame;
//   - analysis tables: Frame (ReadFrameColumns, FrameOf) with Floats,
//     Strings, Dates, Events, Levels, EpiYears and ReadFollowUp;
//   - cohorts: BreastCancerPatients, ScreenedWomen;
//   - dates: Date, ParseDate, EpiYear and CalendarYear (the two named
//     decimal-year conventions), YearsBetween.
package datasets
