// Command screenlab trains and validates risk and triage models on cancer
// registry data, estimates survival and incidence, and reports screening
// performance against registry-confirmed cancers. Run screenlab --help.
package main
