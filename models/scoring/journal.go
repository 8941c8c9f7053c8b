package scoring

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/screenlab/screenlab/datasets"
)

// The journal (OUT.partial) is the scores file's columns and chain_sha256:
// each line's SHA-256 over the previous line's hash and its own fields
// (the first over the model's hash), so that an edited, removed or
// inserted line breaks the chain and --resume refuses the journal. Besides
// the exams' rows it holds markers: "reading" before an exam's images are
// decoded and "read" after, so that an exam whose decoding killed the run
// (a crash, memory exhausted) is known on --resume and not tried again.
const (
	markReading = "reading"
	markRead    = "read"
)

// journalColumns are the journal's columns.
var journalColumns = append(append([]string(nil), Columns...), "chain_sha256")

// journalWriter appends chained lines, one write per call, from any
// goroutine.
type journalWriter struct {
	mu   sync.Mutex
	f    *os.File
	prev []byte
}

// chainStart is the hash the chain starts from.
func chainStart(modelHash string) []byte {
	h := sha256.Sum256([]byte("screenlab scores journal\x00" + modelHash))
	return h[:]
}

// link returns the hash of a line that follows prev.
func link(prev []byte, fields []string) []byte {
	h := sha256.New()
	h.Write(prev)
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// write appends rows (the scores file's columns) with their chain hashes.
func (j *journalWriter) write(rows [][]string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	lines := make([][]string, len(rows))
	prev := j.prev
	for k, r := range rows {
		prev = link(prev, r)
		lines[k] = append(append([]string(nil), r...), hex.EncodeToString(prev))
	}
	if err := writeRows(j.f, lines); err != nil {
		return err
	}
	j.prev = prev
	return nil
}

// marker writes a reading or read marker for an exam.
func (j *journalWriter) marker(examID, mark, modelID, hash string) error {
	return j.write([][]string{{examID, mark, "", "", "", "", "", "", modelID, hash}})
}

// journalState is what a journal says of an interrupted run.
type journalState struct {
	resumed int
	stopped []int // exams being read when the run stopped
	last    []byte
}

// readJournal loads the rows of an interrupted run into done, after
// cutting a partial last line, and checks the chain of hashes.
func readJournal(path string, index map[string]int, done [][]string, hash, key string) (*journalState, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if cut := bytes.LastIndexByte(raw, '\n'); cut+1 < len(raw) {
		// The run was killed in the middle of a write: drop the partial line.
		raw = raw[:cut+1]
		if err := os.Truncate(path, int64(cut+1)); err != nil {
			return nil, err
		}
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	st := &journalState{last: chainStart(key)}
	reading := map[int]bool{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: journal damaged: %w (remove it to start again)", path, err)
		}
		if line == 1 {
			if strings.Join(rec, ",") != strings.Join(journalColumns, ",") {
				return nil, fmt.Errorf("%s:1: not a scores journal of this screenlab (header %q); remove it to start again", path, strings.Join(rec, ","))
			}
			continue
		}
		if len(rec) != len(journalColumns) {
			return nil, fmt.Errorf("%s:%d: journal damaged: %d fields, want %d (remove it to start again)", path, line, len(rec), len(journalColumns))
		}
		fields, sum := rec[:len(Columns)], rec[len(Columns)]
		if fields[9] != hash {
			return nil, fmt.Errorf("%s:%d: scored by model %s, not by this model (%s); remove it to start again", path, line, fields[8], hash[:min(12, len(hash))])
		}
		next := link(st.last, fields)
		if hex.EncodeToString(next) != sum {
			return nil, fmt.Errorf("%s:%d: the journal was edited (this line's chain_sha256 does not follow from the lines before it); remove it to start again", path, line)
		}
		st.last = next
		i, ok := index[fields[0]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: exam %s is not among the exams to score (another images table or shard?)", path, line, datasets.IDText(fields[0]))
		}
		switch fields[1] {
		case markReading:
			reading[i] = true
		case markRead:
			delete(reading, i)
		case StatusOK, StatusError:
			delete(reading, i)
			if done[i] == nil {
				done[i] = fields
				st.resumed++
			} else if fields[7] != stoppedReason {
				// a retried exam replaces its stopped row
				done[i] = fields
			}
		default:
			return nil, fmt.Errorf("%s:%d: status %q", path, line, fields[1])
		}
	}
	for i := range reading {
		if done[i] == nil || done[i][7] == stoppedReason {
			st.stopped = append(st.stopped, i)
		}
	}
	return st, nil
}

// stoppedReason is the error of an exam whose images were being read when
// a run stopped.
const stoppedReason = "the run stopped while this exam's images were being read (a crash, memory exhausted, or a kill); not tried again (score --resume --retry-stopped tries it)"
