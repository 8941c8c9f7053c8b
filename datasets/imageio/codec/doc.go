// Package codec decodes the compressed pixel data of DICOM transfer
// syntaxes (PS3.5 §8.2, Annex A.4) into stored samples:
//
//   - RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G): Go, here.
//   - JPEG baseline (…4.50), extended 12-bit (…4.51) and lossless process 14
//     (…4.57, …4.70): Go, here (ITU-T T.81, 1992). Debian's libjpeg-turbo
//     2.1 has neither process 14 nor 12-bit samples, and the pure-Go
//     decoders that have them are not served by this project's module proxy.
//   - JPEG-LS lossless and near-lossless (…4.80, …4.81): CharLS 2
//     (libcharls.so.2), through cgo, registered by package codec/native.
//   - JPEG 2000 lossless and lossy (…4.90, …4.91): OpenJPEG 2
//     (libopenjp2.so.7), likewise.
//
// A program decodes JPEG-LS and JPEG 2000 when it imports codec/native
// (screenlab's command does); the libraries are opened with dlopen when
// first needed, so it builds and runs without them, and an image that
// needs a missing one gets an error naming the library and the Debian
// package. Every codec checks the codestream's size against the
// DICOM header before allocating the image, so a small file cannot
// declare a huge one.
//
// Entry points: Decode, Lookup, Syntaxes, Register.
package codec
