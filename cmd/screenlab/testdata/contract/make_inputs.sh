#!/bin/sh
# Makes the fixed inputs of the CLI contract test (in/), once; they are
# committed, so the test never depends on the generator. Run from this folder
# with a built screenlab and the R reference cases beside the project:
#   ./make_inputs.sh /path/to/screenlab /path/to/reference
# Public data (written by the R scripts of the reference cases):
#   lung.csv, lung_risk.csv (survival::lung), pbc.csv (survival::pbc),
#   asah.csv (pROC::aSAH), validation.csv (simulated, set.seed 11),
#   cases.csv, population.csv (popEpi::sibr, meanpop_fi),
#   sibr.csv, sibr_years.csv (the first 800 rows of popEpi::sibr),
#   lifetable.csv.gz (popEpi::popmort).
# Synthetic: reg/ is screenlab generate --persons 1500 --seed 7; linked.csv
# is screenlab link of it; reference.csv the age-specific rates of cases.csv.
set -eu
bin=$1; ref=$2
cp "$ref/km-lung/lung.csv" "$ref/evaluate-time-lung/lung_risk.csv" "$ref/cif-pbc/pbc.csv" \
   "$ref/auc-asah/asah.csv" "$ref/calibration/validation.csv" \
   "$ref/rates-sibr/cases.csv" "$ref/rates-sibr/population.csv" in/
head -801 "$ref/relsurv-sibr/sibr.csv" >in/sibr.csv
head -801 "$ref/split-sibr/sibr_years.csv" >in/sibr_years.csv
gzip -9n <"$ref/relsurv-sibr/lifetable.csv" >in/lifetable.csv.gz
"$bin" generate -q --out in/reg --persons 1500 --seed 7 >/dev/null
gzip -9n in/reg/exams.csv in/reg/lifetable.csv
"$bin" link -q --exams in/reg/exams.csv.gz --diagnoses in/reg/diagnoses.csv --persons in/reg/persons.csv --out in/linked.csv >/dev/null
gzip -9n in/linked.csv
# national age-specific rates per person-year (the SIR's reference)
awk -F, 'NR==FNR { if (FNR > 1) c[$1 FS $2] = $3; next }
         FNR == 1 { print "agegroup,rate"; next }
         $1 == "\"2003-2012\"" { print $2 "," c[$1 FS $2] / $3 }' in/cases.csv in/population.csv >in/reference.csv
# lung with ECOG as text (a categorical covariate with a chosen reference)
awk -F, 'BEGIN{OFS=","} NR==1{print $0, "ecog"; next} {e = ($6 == "" ? "" : "ecog" $6); print $0, e}' in/lung.csv | grep -v ',$' >in/lung_cat.csv
chmod 644 in/*
# the two periods as years (their first year), for the trend
for f in cases population; do
  sed -e '1s/"period"/"year"/' -e 's/^"\([0-9]\{4\}\)-[0-9]\{4\}"/\1/' in/$f.csv >in/${f}_year.csv
done
# cnn/: 30 imaged exams (all 6 screen-detected, 24 negative) of a registry
# generated with small images, their images and labels (see the commit that
# added them: generate --persons 400 --seed 11 --images --image-size 32x40
# --image-sample 0.05, then link, then those exams' rows).
