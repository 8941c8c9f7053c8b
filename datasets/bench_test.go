package datasets

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"
	"testing"
)

var (
	benchOnce  sync.Once
	benchExams []byte
)

// millionExams is a 1,000,000-row exams CSV shaped like the generator's
// output (about 70 MB).
func millionExams() []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		buf.WriteString(examsHeader)
		line := make([]byte, 0, 128)
		for i := 0; i < 1_000_000; i++ {
			line = line[:0]
			line = append(line, 'E')
			line = strconv.AppendInt(line, int64(i), 10)
			line = append(line, ",P"...)
			line = strconv.AppendInt(line, int64(i/3), 10)
			line = append(line, ',')
			line = DateOf(2000+i%24, 1+i%12, 1+i%28).AppendFormat(line)
			line = append(line, ",SU0"...)
			line = strconv.AppendInt(line, int64(1+i%8), 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(1+i%10), 10)
			line = append(line, ',', "abcd"[i%4], ',', '0', ',', '0', ',', ',', '0', ',')
			line = strconv.AppendFloat(line, float64(i%9973)/9973, 'f', 4, 64)
			line = append(line, '\n')
			buf.Write(line)
		}
		benchExams = buf.Bytes()
	})
	return benchExams
}

// BenchmarkReadExams reads and validates a 1,000,000-row exams CSV (target
// on 2 cores: under 1.5 s per op, i.e. at least 100 MB/s).
func BenchmarkReadExams(b *testing.B) {
	data := millionExams()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := NewCSVSource(bytes.NewReader(data), "exams.csv")
		if err != nil {
			b.Fatal(err)
		}
		r, err := NewTableReader(src, ExamSchema, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var e Exam
		for {
			_, err := r.Next(&e)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1_000_000 {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkLoadExams loads the same exams from a file through
// LoadRegistry, which adds the duplicate-id check and keeps every row.
func BenchmarkLoadExams(b *testing.B) {
	data := millionExams()
	path := b.TempDir() + "/exams.csv"
	if err := writeFile(path, data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reg, err := LoadRegistry(RegistryFiles{Exams: path}, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(reg.Exams) != 1_000_000 {
			b.Fatalf("%d exams", len(reg.Exams))
		}
	}
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
