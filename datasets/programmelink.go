package datasets

import "fmt"

// ProgrammeLink is a cervical or bowel programme linked: its episodes and
// its invitations with their participation.
type ProgrammeLink struct {
	Programme   string
	Cervical    []CervicalEpisode
	Bowel       []BowelEpisode
	Invitations []InvitationOutcome
	Summary     ProgrammeLinkSummary
}

// ProgrammeLinkSummary counts what linking found.
type ProgrammeLinkSummary struct {
	Programme      string         `json:"programme"`
	Episodes       int            `json:"episodes"`
	Outcomes       map[string]int `json:"outcomes"`
	ScreenDetected int            `json:"screen_detected"`
	Interval       int            `json:"interval"`
	Invitations    int            `json:"invitations"`
	Participated   int            `json:"participated"`
	EndOfData      string         `json:"end_of_data"`
	Algorithm      string         `json:"algorithm,omitempty"`
}

// LinkProgramme links a programme's tables (LinkCervical with alg, or
// LinkBowel with bowel) and its invitations (LinkInvitations, 12 months).
func LinkProgramme(reg *Registry, programme string, alg *CervicalAlgorithm, bowel BowelLinkOptions) (*ProgrammeLink, error) {
	end := bowel.EndOfData
	if end == NoDate || end == 0 {
		end = programmeEnd(reg)
		bowel.EndOfData = end
	}
	pl := &ProgrammeLink{Programme: programme}
	s := &pl.Summary
	s.Programme, s.Outcomes, s.EndOfData = programme, map[string]int{}, end.String()
	switch programme {
	case "cervical":
		if alg == nil {
			alg, _ = DefaultCervicalAlgorithm()
		}
		s.Algorithm = alg.Name
		eps, err := LinkCervical(reg, alg, bowel.ProgrammeLinkOptions)
		if err != nil {
			return nil, err
		}
		pl.Cervical = eps
		for i := range eps {
			s.Outcomes[eps[i].Outcome]++
			s.count(eps[i].Cancer)
		}
		s.Episodes = len(eps)
	case "bowel":
		eps, err := LinkBowel(reg, bowel)
		if err != nil {
			return nil, err
		}
		pl.Bowel = eps
		for i := range eps {
			s.Outcomes[eps[i].Outcome]++
			s.count(eps[i].Cancer)
		}
		s.Episodes = len(eps)
	default:
		return nil, fmt.Errorf("link: programme %q: want cervical or bowel", programme)
	}
	pl.Invitations = LinkInvitations(reg, 12, end)
	for i := range pl.Invitations {
		s.Invitations++
		if pl.Invitations[i].Participated {
			s.Participated++
		}
	}
	return pl, nil
}

func (s *ProgrammeLinkSummary) count(cancer string) {
	switch cancer {
	case "screen-detected":
		s.ScreenDetected++
	case "interval":
		s.Interval++
	}
}

// EpisodeColumns are the columns of the programme's episodes table.
func (pl *ProgrammeLink) EpisodeColumns() []ColumnSpec {
	if pl.Programme == "cervical" {
		return CervicalEpisodeColumns
	}
	return BowelEpisodeColumns
}

func (pl *ProgrammeLink) writeEpisodes(w *TableWriter) error {
	if pl.Programme == "cervical" {
		return WriteCervicalEpisodes(w, pl.Cervical)
	}
	return WriteBowelEpisodes(w, pl.Bowel)
}

// Write writes the episodes and (when invitationsPath is not "") the
// linked invitations.
func (pl *ProgrammeLink) Write(episodesPath, invitationsPath string) error {
	if err := WriteTable(episodesPath, pl.EpisodeColumns(), pl.writeEpisodes); err != nil {
		return err
	}
	if invitationsPath == "" {
		return nil
	}
	return WriteTable(invitationsPath, InvitationOutcomeColumns, func(w *TableWriter) error {
		return WriteInvitationOutcomes(w, pl.Invitations)
	})
}

// Frames returns the episodes and linked invitations as the frames their
// files would read back as, for metrics in memory.
func (pl *ProgrammeLink) Frames() (episodes, invitations *Frame, err error) {
	if episodes, err = EpisodeFrame("episodes", pl.EpisodeColumns(), pl.writeEpisodes); err != nil {
		return nil, nil, err
	}
	invitations, err = EpisodeFrame("invitations", InvitationOutcomeColumns, func(w *TableWriter) error {
		return WriteInvitationOutcomes(w, pl.Invitations)
	})
	return episodes, invitations, err
}
