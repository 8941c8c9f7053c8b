package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/export"
)

func newCmdExport(f *factory) *cobra.Command {
	var job export.Job
	var asOf string
	cmd := &cobra.Command{
		Use:   "export --protocol F --reservations F --key-file F --out DIR",
		Short: "Write a de-identified research extract that honours reservations",
		Long: `Write a research extract as a project's protocol allows, and a manifest that
accounts for it.

- Every person in --reservations (person_id, reserved_date) is removed from every
  table, also from rows that reach the person only through another table
  (--no-reservations acknowledges there is no list; one of the two is required).
- Only the protocol's tables and variables are written; a direct identifier
  (national id, name, address, phone, e-mail) is never exported whatever the
  protocol says, and a column whose values look like national identity numbers
  is refused. Dates are coarsened as the protocol asks (year, year-month, age in
  whole years, days since a date, in bands).
- Person ids become pseudonyms: the lower-case hex HMAC-SHA256 of the id keyed
  with the bytes of --key-file (at least 16; the project's key: the same key
  gives the same pseudonyms in every delivery, another project's key others).
  The key is never written anywhere.
- Persons are grouped by the protocol's quasi-identifiers; a person in a group
  smaller than k loses the least important of them (local suppression) until
  every group holds k or more; the export fails rather than write a smaller group.
- --previous DIR (the project's last delivery) checks that the key is the same
  and lists the persons it held who were reserved since, by pseudonym, in
  deletion_requests.csv, for the recipient to delete.

DIR gets one CSV per table and manifest.json (written last): input and output
SHA-256, per table read = exported + reserved + excluded, the variables, the
group sizes before and after, the suppressions, k and the screenlab version.
The same inputs, key and --as-of give byte-identical files. Printed counts of
reserved persons below 5 are shown as "<5".`,
		Example: `  screenlab generate --programme childhood --out child --persons 3000
  head -c 32 /dev/urandom > project.key
  screenlab export --protocol child/protocol.json --reservations child/reservations.csv \
    --key-file project.key --out delivery --as-of 2025-01-15`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if job.Protocol == "" || job.KeyFile == "" || job.Out == "" {
				return flagErrorf("--protocol, --key-file and --out are required")
			}
			if (job.Reservations == "") == !job.NoReservations {
				return flagErrorf("give --reservations F, or --no-reservations to acknowledge there is no reservation list (not both)")
			}
			job.AsOf = datasets.Today()
			if asOf != "" {
				d, err := datasets.ParseDate(asOf)
				if err != nil || d == datasets.NoDate {
					return flagErrorf("--as-of %q: want a date YYYY-MM-DD", asOf)
				}
				job.AsOf = d
			}
			m, err := job.Run()
			if err != nil {
				return err
			}
			f.IO.Notef("wrote %d persons' rows and manifest.json to %s", m.Persons, job.Out)
			return f.write(export.Summarise(m))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&job.Protocol, "protocol", "", "the project's protocol `FILE` (JSON)")
	fl.StringVar(&job.Data, "data", "", "the `DIR` of the protocol's tables (default: the protocol's folder)")
	fl.StringVar(&job.Reservations, "reservations", "", "reserved persons `FILE` (person_id, reserved_date)")
	fl.BoolVar(&job.NoReservations, "no-reservations", false, "acknowledge that there is no reservation list")
	fl.StringVar(&job.KeyFile, "key-file", "", "the project's key `FILE` (at least 16 bytes)")
	fl.StringVar(&job.Out, "out", "", "the delivery `DIR`")
	fl.StringVar(&asOf, "as-of", "", "the delivery's `DATE` (default today)")
	fl.StringVar(&job.Previous, "previous", "", "the project's previous delivery `DIR`")
	return cmd
}
