package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestStreamContent(t *testing.T) {
	s, err := NewStream("台账", "服务台账", []string{"日期", "村", "电话", "时长", "已确认"}, []float64{12})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Row(day, "东关村", "138****0001", 60, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Row(day, "", "01234", nil, false); err != nil {
		t.Fatal(err)
	}
	if s.Rows() != 2 {
		t.Fatalf("rows %d", s.Rows())
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "服务台账" || rows[1][2] != "电话" || rows[2][1] != "东关村" || rows[2][2] != "138****0001" ||
		rows[2][3] != "60" || rows[2][4] != "是" || rows[3][2] != "01234" || rows[3][4] != "否" {
		t.Fatalf("rows %q", rows)
	}
	if v, _ := f.GetCellValue("台账", "A3"); v != "2026-06-01" {
		t.Fatalf("date cell %q", v)
	}
	if m, _ := f.GetMergeCells("台账"); len(m) != 1 {
		t.Fatalf("title not merged: %v", m)
	}
}

// TestStreamBoundedMemory writes 120,000 rows of ten columns (a province
// export's size class) and checks the heap stays bounded: sampled live heap
// never grows by more than 50 MB over the start, though the rows' text is
// several times that.
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large")
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	base := heap()
	s, err := NewStream("big", "", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 120000
	var peak uint64
	text := "驻点值班，解答群众关于土地承包、婚姻家庭和劳动报酬的法律咨询，并做好记录"
	for i := 0; i < n; i++ {
		if err := s.Row(fmt.Sprintf("3201%08d", i), text, i, "2026-06-01", "138****0001", text, i*7, "村委会", "已确认", text); err != nil {
			t.Fatal(err)
		}
		if i%50000 == 0 {
			peak = max(peak, heap())
		}
	}
	var cw countWriter
	if _, err := s.WriteTo(&cw); err != nil {
		t.Fatal(err)
	}
	peak = max(peak, heap())
	growth := int64(peak) - int64(base)
	t.Logf("%d rows, %d MB written, heap growth %d MB", n, cw.n>>20, growth>>20)
	if cw.n < 4<<20 {
		t.Fatalf("only %d bytes written", cw.n)
	}
	if growth > 50<<20 {
		t.Fatalf("heap grew by %d MB writing %d rows", growth>>20, n)
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
