package reports

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/goregular"
)

// Font is one TrueType face ready for gofpdf: a plain .ttf, or a face read
// out of a .ttc collection and rewritten as a stand-alone font.
type Font struct {
	Name  string // file name, with "#index" for a face of a collection
	Path  string // "" for built-in fonts
	Index int    // face index inside a collection
	// Family is the font's family name, in Chinese when the font has one
	// (文泉驿微米黑), else in English.
	Family string
	data   []byte
	cov    []uint64 // BMP coverage bitset, as gofpdf sees it (cmap format 4)
	adv    []uint16 // advance widths of covered BMP characters in 1/1000 em, as gofpdf measures them
}

// Has reports whether the font has a glyph for r that gofpdf can print.
// Characters above U+FFFF are never printable by gofpdf.
func (f *Font) Has(r rune) bool {
	if r < 0 || r > 0xFFFF {
		return false
	}
	return f.cov[r>>6]&(1<<(uint(r)&63)) != 0
}

// Bytes returns the stand-alone TrueType data of the face.
func (f *Font) Bytes() []byte { return f.data }

// FontError is a font that can't be used; Msg is a Chinese message for the user.
type FontError struct {
	Path string
	Msg  string
}

func (e *FontError) Error() string { return e.Msg }

func fontErr(name, format string, args ...any) error {
	return &FontError{Path: name, Msg: "字体“" + filepath.Base(name) + "”" + fmt.Sprintf(format, args...)}
}

// LoadFont reads face index of the font file at path (.ttf, or .ttc/.otc
// collection). CFF-flavoured OpenType fonts are refused: gofpdf can't embed them.
func LoadFont(path string, index int) (*Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FontError{Path: path, Msg: fmt.Sprintf("无法读取字体文件 %s：%v", path, err)}
	}
	f, err := ParseFont(path, data, index)
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, nil
}

// FontFaces returns the number of faces in a font file (1 for a plain font).
func FontFaces(data []byte) int {
	if len(data) >= 12 && string(data[:4]) == "ttcf" {
		return int(binary.BigEndian.Uint32(data[8:12]))
	}
	return 1
}

// ParseFont checks data (a font file's bytes, name used in messages) and
// returns face index as a stand-alone TrueType font.
func ParseFont(name string, data []byte, index int) (*Font, error) {
	if len(data) < 12 {
		return nil, fontErr(name, "不是字体文件。")
	}
	label := filepath.Base(name)
	if string(data[:4]) == "ttcf" {
		n := FontFaces(data)
		if index < 0 || index >= n || len(data) < 12+4*n {
			return nil, fontErr(name, "是字体集合（%d 个字体），没有第 %d 个。", n, index+1)
		}
		off := int(binary.BigEndian.Uint32(data[12+4*index:]))
		face, err := extractFace(data, off)
		if err != nil {
			return nil, fontErr(name, "已损坏：%v", err)
		}
		data = face
		label = fmt.Sprintf("%s#%d", label, index)
	} else if index != 0 {
		return nil, fontErr(name, "只有一个字体，没有第 %d 个。", index+1)
	}
	tables, err := tableDir(data, 0)
	if err != nil {
		return nil, fontErr(name, "不是字体文件（%v）。", err)
	}
	if _, ok := tables["CFF "]; ok || string(data[:4]) == "OTTO" {
		return nil, fontErr(name, "是 CFF 轮廓的 OpenType 字体（如 Noto/思源 CJK 的 .otf），打印只能使用 TrueType 轮廓的字体（.ttf 或 .ttc）。请改选文泉驿微米黑、黑体 simhei.ttf 或宋体 simsun.ttc 等字体。")
	}
	if _, ok := tables["CFF2"]; ok {
		return nil, fontErr(name, "是 CFF2 轮廓的字体，打印只能使用 TrueType 轮廓的字体（.ttf 或 .ttc）。")
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "name", "OS/2", "post", "loca", "glyf"} {
		if _, ok := tables[t]; !ok {
			return nil, fontErr(name, "缺少 %s 表，不是可打印的 TrueType 字体。", strings.TrimSpace(t))
		}
	}
	cov, err := cmapCoverage(data, tables["cmap"])
	if err != nil {
		return nil, fontErr(name, "的字符表无法读取：%v", err)
	}
	adv, err := gofpdfWidths(data, cov)
	if err != nil {
		return nil, fontErr(name, "无法用于打印：%v", err)
	}
	family := familyName(data, tables["name"])
	if family == "" {
		family = label
	}
	return &Font{Name: label, Index: index, Family: family, data: data, cov: cov, adv: adv}, nil
}

// gofpdfWidths loads the font into a throw-away document, so that a font
// gofpdf can't read fails here with a message instead of at SetFont, and
// reads the width gofpdf gives each covered character, so that documents
// can measure text without asking gofpdf rune by rune.
func gofpdfWidths(data []byte, cov []uint64) (adv []uint16, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("t", "", data)
	pdf.SetFont("t", "", 10)
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	adv = make([]uint16, 0x10000)
	var buf [4]byte
	for r := 0x20; r < 0xFFFF; r++ {
		if cov[r>>6]&(1<<(uint(r)&63)) != 0 {
			n := utf8.EncodeRune(buf[:], rune(r))
			adv[r] = uint16(min(pdf.GetStringSymbolWidth(string(buf[:n])), 0xFFFF))
		}
	}
	return adv, nil
}

type tableRec struct{ off, length uint32 }

// tableDir reads the table directory of the sfnt starting at off.
func tableDir(data []byte, off int) (map[string]tableRec, error) {
	if off < 0 || off+12 > len(data) {
		return nil, errors.New("文件太短")
	}
	switch v := binary.BigEndian.Uint32(data[off:]); v {
	case 0x00010000, 0x74727565, 0x4F54544F: // 1.0, 'true', 'OTTO'
	default:
		return nil, fmt.Errorf("未知格式 %08x", v)
	}
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	if off+12+16*n > len(data) {
		return nil, errors.New("表目录超出文件")
	}
	t := make(map[string]tableRec, n)
	for i := 0; i < n; i++ {
		p := off + 12 + 16*i
		r := tableRec{binary.BigEndian.Uint32(data[p+8:]), binary.BigEndian.Uint32(data[p+12:])}
		if uint64(r.off)+uint64(r.length) > uint64(len(data)) {
			return nil, fmt.Errorf("表 %q 超出文件", data[p:p+4])
		}
		t[string(data[p:p+4])] = r
	}
	return t, nil
}

// extractFace copies the face whose offset table is at off out of a
// collection into a stand-alone font: a new table directory followed by the
// face's tables, each 4-byte aligned.
func extractFace(data []byte, off int) ([]byte, error) {
	tables, err := tableDir(data, off)
	if err != nil {
		return nil, err
	}
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags) // table records are sorted by tag
	n := len(tags)
	size := 12 + 16*n
	for _, tag := range tags {
		size += int(tables[tag].length+3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	copy(out, data[off:off+4]) // sfnt version
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<es))
	for i, tag := range tags {
		r := tables[tag]
		body := data[r.off : r.off+r.length]
		p := 12 + 16*i
		copy(out[p:], tag)
		binary.BigEndian.PutUint32(out[p+4:], checksum(body))
		binary.BigEndian.PutUint32(out[p+8:], uint32(len(out)))
		binary.BigEndian.PutUint32(out[p+12:], r.length)
		out = append(out, body...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// cmapCoverage reads the same cmap subtable gofpdf uses (the first
// Unicode/Microsoft-Unicode subtable in format 4) into a BMP bitset of the
// characters that map to a real glyph.
func cmapCoverage(data []byte, cmap tableRec) ([]uint64, error) {
	t := data[cmap.off : cmap.off+cmap.length]
	if len(t) < 4 {
		return nil, errors.New("cmap 太短")
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	sub := -1
	for i := 0; i < n && 4+8*i+8 <= len(t); i++ {
		p := 4 + 8*i
		plat, enc := binary.BigEndian.Uint16(t[p:]), binary.BigEndian.Uint16(t[p+2:])
		o := int(binary.BigEndian.Uint32(t[p+4:]))
		if (plat == 3 && enc == 1) || plat == 0 {
			if o+2 <= len(t) && binary.BigEndian.Uint16(t[o:]) == 4 {
				sub = o
				break
			}
		}
	}
	if sub < 0 {
		return nil, errors.New("没有 Unicode 字符表（format 4）")
	}
	s := t[sub:]
	if len(s) < 14 {
		return nil, errors.New("字符表太短")
	}
	segX2 := int(binary.BigEndian.Uint16(s[6:]))
	if 16+4*segX2 > len(s) {
		return nil, errors.New("字符表超出范围")
	}
	ends := s[14:]
	starts := s[16+segX2:]
	deltas := s[16+2*segX2:]
	ranges := s[16+3*segX2:]
	cov := make([]uint64, 1024)
	for i := 0; i < segX2/2; i++ {
		end := int(binary.BigEndian.Uint16(ends[2*i:]))
		start := int(binary.BigEndian.Uint16(starts[2*i:]))
		delta := int(binary.BigEndian.Uint16(deltas[2*i:]))
		ro := int(binary.BigEndian.Uint16(ranges[2*i:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				p := 16 + 3*segX2 + 2*i + ro + 2*(c-start)
				if p+2 > len(s) {
					continue
				}
				g = int(binary.BigEndian.Uint16(s[p:]))
				if g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g != 0 {
				cov[c>>6] |= 1 << (uint(c) & 63)
			}
		}
	}
	return cov, nil
}

// GoRegular is the Latin font that is always available (the Go font).
func GoRegular() *Font {
	goRegularOnce.Do(func() {
		f, err := ParseFont("Go-Regular.ttf", goregular.TTF, 0)
		if err != nil {
			panic("reports: built-in Go font: " + err.Error())
		}
		goRegularFont = f
	})
	return goRegularFont
}

// familyName reads the family name (name ID 1) from the name table,
// preferring Simplified Chinese, then Traditional Chinese, then English.
func familyName(data []byte, rec tableRec) string {
	t := data[rec.off : rec.off+rec.length]
	if len(t) < 6 {
		return ""
	}
	count := int(binary.BigEndian.Uint16(t[2:]))
	strOff := int(binary.BigEndian.Uint16(t[4:]))
	best, bestRank := "", 99
	for i := 0; i < count && 6+12*i+12 <= len(t); i++ {
		r := t[6+12*i:]
		plat, lang, id := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[4:]), binary.BigEndian.Uint16(r[6:])
		n, o := int(binary.BigEndian.Uint16(r[8:])), strOff+int(binary.BigEndian.Uint16(r[10:]))
		if plat != 3 || id != 1 || o+n > len(t) {
			continue
		}
		rank := 5
		switch lang {
		case 0x0804: // zh-CN
			rank = 0
		case 0x1004: // zh-SG
			rank = 1
		case 0x0404, 0x0C04: // zh-TW, zh-HK
			rank = 2
		case 0x0409: // en-US
			rank = 4
		}
		if rank < bestRank {
			u := make([]uint16, n/2)
			for k := range u {
				u[k] = binary.BigEndian.Uint16(t[o+2*k:])
			}
			best, bestRank = string(utf16.Decode(u)), rank
		}
	}
	return best
}
