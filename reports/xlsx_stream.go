package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// SheetReader streams the first worksheet of a workbook: the header (the
// first non-blank row) is read when it opens, the data rows one by one
// with Next, so a sheet of a million rows is never held in memory. A
// goroutine reads ahead in batches while the caller works on the rows
// before them.
type SheetReader struct {
	Name      string
	HeaderRow int // sheet row number of Header (1-based)
	Header    []string

	f     *excelize.File
	file  *os.File
	total atomic.Int64

	batches chan rowBatch
	stop    chan struct{}
	cur     rowBatch
	i       int
	err     error
	closed  bool
}

type rowBatch struct {
	first int // sheet row number of rows[0]
	rows  [][]string
	err   error
}

const readAheadRows = 512

// OpenSheetFile opens the workbook at path for streaming. Errors are
// written for the user. Close it when done.
func OpenSheetFile(p string) (*SheetReader, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%v", p, plainErr(err))
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("文件 %s 是空的（0 字节）", filepath.Base(p))
	}
	file, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%v", p, plainErr(err))
	}
	s, err := OpenSheet(file)
	if err != nil {
		file.Close()
		return nil, err
	}
	s.file = file
	part, last := firstSheetLastRow(p)
	if last > s.HeaderRow {
		s.total.Store(int64(last - s.HeaderRow))
	} else if part != "" { // no <dimension> (excelize's StreamWriter writes none): count the rows
		go func() {
			if n := countRows(p, part); n > s.HeaderRow {
				s.total.Store(int64(n - 1))
			}
		}()
	}
	return s, nil
}

// OpenSheet opens the .xlsx in r for streaming: it reads up to the header
// row and starts reading ahead. Close it when done.
func OpenSheet(r io.Reader) (s *SheetReader, err error) {
	defer func() {
		if p := recover(); p != nil { // excelize on a malformed file
			s, err = nil, errBroken
		}
	}()
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, readErr(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("工作簿里没有工作表")
	}
	s = &SheetReader{Name: sheets[0], f: f}
	rows, err := f.Rows(s.Name)
	if err != nil {
		f.Close()
		return nil, readErr(err)
	}
	n := 0
	for s.Header == nil {
		if !rows.Next() {
			err := rows.Error()
			rows.Close()
			f.Close()
			if err != nil {
				return nil, readErr(err)
			}
			return nil, fmt.Errorf("工作表“%s”是空的：没有表头，也没有数据", s.Name)
		}
		n++
		cols, err := rows.Columns()
		if err != nil {
			err = readErr(err)
		} else {
			err = checkRow(n, cols)
		}
		if err != nil {
			rows.Close()
			f.Close()
			return nil, err
		}
		if blankRow(cols) {
			continue
		}
		s.Header, s.HeaderRow = cols, n
		if gapped(cols) { // a merged header leaves blanks; reading merges parses the whole sheet
			if err := checkMergedHeader(f, s.Name, n); err != nil {
				rows.Close()
				f.Close()
				return nil, err
			}
		}
	}
	s.batches = make(chan rowBatch, 4)
	s.stop = make(chan struct{})
	go s.readAhead(rows, n)
	return s, nil
}

var errBroken = fmt.Errorf("无法读取：工作簿已损坏或不是 .xlsx 文件")

// readAhead reads the rows after the header in batches until the end, an
// error or Close.
func (s *SheetReader) readAhead(rows *excelize.Rows, n int) {
	defer close(s.batches)
	defer rows.Close()
	send := func(b rowBatch) bool {
		select {
		case s.batches <- b:
			return true
		case <-s.stop:
			return false
		}
	}
	b := rowBatch{first: n + 1}
	defer func() {
		if p := recover(); p != nil {
			send(rowBatch{err: errBroken})
		}
	}()
	for rows.Next() {
		n++
		cols, err := rows.Columns()
		if err != nil {
			err = readErr(err)
		} else {
			err = checkRow(n, cols)
		}
		if err != nil {
			send(rowBatch{err: err})
			return
		}
		b.rows = append(b.rows, cols)
		if len(b.rows) == readAheadRows {
			if !send(b) {
				return
			}
			b = rowBatch{first: n + 1, rows: make([][]string, 0, readAheadRows)}
		}
	}
	if err := rows.Error(); err != nil {
		send(rowBatch{err: readErr(err)})
		return
	}
	if len(b.rows) > 0 {
		send(b)
	}
}

// Next returns the next data row and its sheet row number; ok is false at
// the end or on an error (Err).
func (s *SheetReader) Next() (num int, cells []string, ok bool) {
	for s.i >= len(s.cur.rows) {
		if s.err != nil || s.closed {
			return 0, nil, false
		}
		b, more := <-s.batches
		if !more {
			return 0, nil, false
		}
		if b.err != nil {
			s.err = b.err
			return 0, nil, false
		}
		s.cur, s.i = b, 0
	}
	s.i++
	return s.cur.first + s.i - 1, s.cur.rows[s.i-1], true
}

// Err is the error that ended the rows, written for the user.
func (s *SheetReader) Err() error { return s.err }

// Total estimates the number of data rows from the sheet's dimension, or
// by counting the rows of a sheet that has none (0 until that is done, or
// when unknown). It is only for progress bars.
func (s *SheetReader) Total() int { return int(s.total.Load()) }

// Close stops reading and releases the workbook.
func (s *SheetReader) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.stop)
	for range s.batches { // let the reader goroutine finish
	}
	err := s.f.Close()
	if s.file != nil {
		s.file.Close()
	}
	return err
}

var (
	reFirstSheet = regexp.MustCompile(`<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"`)
	reRel        = regexp.MustCompile(`<Relationship\b[^>]*>`)
	reRelID      = regexp.MustCompile(`\bId="([^"]+)"`)
	reRelTarget  = regexp.MustCompile(`\bTarget="([^"]+)"`)
	reDimension  = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:?[A-Z]*(\d*)"`)
)

// firstSheetLastRow finds the first worksheet's part in the zip and reads
// the last row number from its <dimension> without parsing the sheet (0
// when it has none).
func firstSheetLastRow(p string) (part string, last int) {
	z, err := zip.OpenReader(p)
	if err != nil {
		return "", 0
	}
	defer z.Close()
	head := func(name string, n int64) string {
		for _, f := range z.File {
			if f.Name == name {
				r, err := f.Open()
				if err != nil {
					return ""
				}
				defer r.Close()
				b, _ := io.ReadAll(io.LimitReader(r, n))
				return string(b)
			}
		}
		return ""
	}
	m := reFirstSheet.FindStringSubmatch(head("xl/workbook.xml", 1<<20))
	if m == nil {
		return "", 0
	}
	for _, rel := range reRel.FindAllString(head("xl/_rels/workbook.xml.rels", 1<<20), -1) {
		if id := reRelID.FindStringSubmatch(rel); id != nil && id[1] == m[1] {
			if t := reRelTarget.FindStringSubmatch(rel); t != nil {
				part = t[1]
			}
		}
	}
	if part == "" {
		return "", 0
	}
	if part[0] == '/' {
		part = part[1:]
	} else {
		part = path.Join("xl", part)
	}
	// The dimension comes before the rows, after the namespaces.
	d := reDimension.FindStringSubmatch(head(part, 16<<10))
	if d == nil {
		return part, 0
	}
	last, _ = strconv.Atoi(d[1])
	return part, last
}

// countRows counts the <row> elements of a worksheet part by scanning its
// text (a few hundred MB a second; the sheet is not parsed).
func countRows(p, part string) int {
	z, err := zip.OpenReader(p)
	if err != nil {
		return 0
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != part {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return 0
		}
		defer r.Close()
		tag := []byte("<row")
		buf := make([]byte, 64<<10)
		n, keep := 0, 0
		for {
			k, err := r.Read(buf[keep:])
			chunk := buf[:keep+k]
			n += bytes.Count(chunk, tag)
			// Keep the last few bytes: a tag may straddle two reads.
			keep = copy(buf, chunk[max(0, len(chunk)-(len(tag)-1)):])
			if err != nil {
				return n
			}
		}
	}
	return 0
}
