// Package imageio reads mammograms — DICOM (through
// github.com/suyashkumar/dicom), 8/16-bit PNG and TIFF — into display
// intensities in [0, 1], and writes the synthetic registry's DICOM files.
//
// Entry points: Read (DICOM, PNG or TIFF to intensities), WriteDICOM.
package imageio
