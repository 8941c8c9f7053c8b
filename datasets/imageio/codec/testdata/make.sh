#!/bin/sh
# Makes the compressed DICOM fixtures from the synthetic registry's images
# with Debian's dcmtk and GDCM (apt-get install dcmtk libgdcm-tools libjpeg-turbo-progs):
#
#   original/        one exam's four views as the generator writes them
#                    (uncompressed, 12 bits stored in 16)
#   <syntax>/        the same four views in each compressed syntax
#   restart/         baseline JPEG with restart markers (cjpeg) and djpeg's output
#   reference/<s>/   the lossy ones decompressed by dcmtk/GDCM (the
#                    reference decoders the tests compare with)
#
# Run from this folder: ./make.sh  (needs go; takes a few seconds)
set -eu
here=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd ../../../.. && go run ./cmd/screenlab generate --out "$tmp/reg" --persons 60 --seed 5 --images --quiet)
exam=P0000007-03 # screen-detected cancer: recalled, a lesion in one breast
rm -rf original rle jpeg-baseline jpeg-extended jpeg-lossless-sv1 jpeg-lossless-sv6 jpegls jpegls-near j2k j2k-lossy reference
mkdir -p original rle jpeg-baseline jpeg-extended jpeg-lossless-sv1 jpeg-lossless-sv6 jpegls jpegls-near j2k j2k-lossy \
	reference/jpeg-baseline reference/jpeg-extended reference/jpegls-near reference/j2k-lossy
for f in "$tmp"/reg/images/"$exam"_*.dcm; do
	b=$(basename "$f")
	cp "$f" original/"$b"
	dcmcrle "$f" rle/"$b"
	dcmcjpeg --encode-baseline "$f" jpeg-baseline/"$b"
	dcmcjpeg --encode-extended "$f" jpeg-extended/"$b"
	dcmcjpeg --encode-lossless-sv1 "$f" jpeg-lossless-sv1/"$b"
	dcmcjpeg --encode-lossless --selection-value 6 "$f" jpeg-lossless-sv6/"$b"
	dcmcjpls --encode-lossless "$f" jpegls/"$b"
	dcmcjpls --encode-nearlossless "$f" jpegls-near/"$b"
	gdcmconv --j2k "$f" j2k/"$b"
	gdcmconv --j2k --lossy -q 30 "$f" j2k-lossy/"$b"
	for s in jpeg-baseline jpeg-extended; do dcmdjpeg "$s/$b" reference/"$s"/"$b"; done
	dcmdjpls jpegls-near/"$b" reference/jpegls-near/"$b"
	gdcmconv --raw j2k-lossy/"$b" reference/j2k-lossy/"$b"
done
# One view in every lossless JPEG predictor (selection values 2-7) and with
# a point transform, for the decoder's other paths.
f=original/"$exam"_L_CC.dcm
mkdir -p jpeg-lossless-predictors
rm -f jpeg-lossless-predictors/*
for sv in 2 3 4 5 7; do
	dcmcjpeg --encode-lossless --selection-value $sv "$f" jpeg-lossless-predictors/sv$sv.dcm
done
# Baseline JPEG with restart markers (dcmtk writes none): libjpeg-turbo's
# cjpeg (apt-get install libjpeg-turbo-progs) from an 8-bit rendering of a
# view, a restart after every block and every two block rows, with djpeg's
# decoding beside them.
mkdir -p restart
dcmj2pnm +op "$f" "$tmp/view.pgm"
cjpeg -grayscale -restart 1B -quality 85 "$tmp/view.pgm" > restart/blocks.jpg
cjpeg -grayscale -restart 2 -quality 85 "$tmp/view.pgm" > restart/rows.jpg
for s in blocks rows; do djpeg -pnm restart/$s.jpg > restart/$s.pgm; done
cd "$here"
echo "fixtures: $(find . -name '*.dcm' | wc -l) files, $(du -sh . | cut -f1)"
