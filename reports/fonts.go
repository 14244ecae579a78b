package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// cjkFontNames are lower-case fragments of file names of fonts known to
// carry Chinese glyphs on Windows, Linux and macOS.
var cjkFontNames = []string{
	"simhei", "simsun", "msyh", "simkai", "simfang", "deng", // Windows
	"wqy", "droidsansfallback", "uming", "ukai", "notosanscjk", "notoserifcjk",
	"notosanssc", "notoserifsc", "sourcehan", "lxgw", "zenhei", // Linux
	"stheiti", "pingfang", "hiragino sans gb", "songti", // macOS
}

// FontDirs returns the directories searched for fonts on this system.
func FontDirs() []string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		win := os.Getenv("WINDIR")
		if win == "" {
			win = `C:\Windows`
		}
		dirs := []string{filepath.Join(win, "Fonts")}
		if local := os.Getenv("LOCALAPPDATA"); local != "" {
			dirs = append(dirs, filepath.Join(local, "Microsoft", "Windows", "Fonts"))
		}
		return dirs
	case "darwin":
		return []string{"/System/Library/Fonts", "/Library/Fonts", filepath.Join(home, "Library", "Fonts")}
	}
	return []string{"/usr/share/fonts", "/usr/local/share/fonts",
		filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts")}
}

// FindCJKFonts returns the font files under dirs whose names mark them as
// Chinese fonts, sorted by path.
func FindCJKFonts(dirs []string) []string {
	var out []string
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			name := strings.ToLower(d.Name())
			ext := filepath.Ext(name)
			if ext != ".ttf" && ext != ".ttc" && ext != ".otf" && ext != ".otc" {
				return nil
			}
			for _, frag := range cjkFontNames {
				if strings.Contains(name, frag) {
					out = append(out, path)
					break
				}
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

// CJKFontAdvice says what to install when no Chinese font is found.
func CJKFontAdvice() string {
	switch runtime.GOOS {
	case "windows":
		return "未找到中文字体（如 SimHei 黑体、SimSun 宋体）。请在“设置 → 时间和语言 → 语言”中添加中文（简体）语言包。"
	case "darwin":
		return "未找到中文字体。请在“字体册”中启用“华文黑体”或“苹方”。"
	}
	return "未找到中文字体，界面和打印的中文会显示成方框。请安装文泉驿微米黑：sudo apt install fonts-wqy-microhei"
}

var (
	goRegularOnce sync.Once
	goRegularFont *Font
)

// ErrNoCJKFont is returned by DiscoverFonts when no usable Chinese font is
// installed; its message (CJKFontAdvice) names what to install.
var ErrNoCJKFont = errors.New("未找到可用的中文字体。")

type noCJKFont struct{ tried []string }

func (e *noCJKFont) Error() string {
	msg := CJKFontAdvice()
	if len(e.tried) > 0 {
		msg += "（找到但无法使用：" + strings.Join(e.tried, "；") + "）"
	}
	return msg
}
func (e *noCJKFont) Is(target error) bool { return target == ErrNoCJKFont }

// Fonts is the set of fonts a document is set in: the Chinese font first,
// then the Go font for Latin letters and digits the Chinese font lacks
// (Droid Sans Fallback has none). Each character is set in the first font
// that has it.
type Fonts struct {
	list   []*Font
	marker string // printed in place of characters above U+FFFF
}

// NewFonts returns the fonts for a chosen Chinese font, with the Go font for
// what it lacks.
func NewFonts(cjk *Font) *Fonts {
	fs := &Fonts{list: []*Font{cjk, GoRegular()}, marker: "?"}
	if fs.fontFor('〓') >= 0 {
		fs.marker = "〓"
	}
	return fs
}

// OpenFonts loads the Chinese font the user chose in settings (path and the
// face index inside a .ttc), or discovers one when path is "".
func OpenFonts(path string, index int) (*Fonts, error) {
	if path == "" {
		return DiscoverFonts()
	}
	f, err := LoadFont(path, index)
	if err != nil {
		return nil, err
	}
	if !f.Has('中') {
		return nil, fontErr(path, "没有中文字形，请选择中文字体。")
	}
	return NewFonts(f), nil
}

// preferred orders discovered fonts: ones with Latin glyphs and good
// coverage first, Droid Sans Fallback (no Latin) last.
var preferred = []string{"wqy-microhei", "msyh", "simhei", "simsun", "deng", "wqy-zenhei", "lxgw",
	"uming", "ukai", "simkai", "simfang", "pingfang", "stheiti", "hiragino", "songti", "droidsansfallback"}

func rank(path string) int {
	name := strings.ToLower(filepath.Base(path))
	for i, frag := range preferred {
		if strings.Contains(name, frag) {
			return i
		}
	}
	return len(preferred)
}

// DiscoverFonts picks the best usable Chinese font on this system
// (TrueType outlines, has Chinese; one that also has Latin letters wins).
func DiscoverFonts() (*Fonts, error) { return discoverIn(FontDirs()) }

func discoverIn(dirs []string) (*Fonts, error) {
	paths := FindCJKFonts(dirs)
	sort.SliceStable(paths, func(i, j int) bool { return rank(paths[i]) < rank(paths[j]) })
	var fallback *Font
	var tried []string
	for _, p := range paths {
		f, err := LoadFont(p, 0)
		if err != nil {
			tried = append(tried, filepath.Base(p))
			continue
		}
		if !f.Has('中') {
			continue
		}
		if f.Has('0') && f.Has('A') {
			return NewFonts(f), nil
		}
		if fallback == nil {
			fallback = f
		}
	}
	if fallback != nil {
		return NewFonts(fallback), nil
	}
	return nil, &noCJKFont{tried: tried}
}

// CJK returns the Chinese font.
func (fs *Fonts) CJK() *Font { return fs.list[0] }

// fontFor returns the index of the first font that has r, or -1.
func (fs *Fonts) fontFor(r rune) int {
	for i, f := range fs.list {
		if f.Has(r) {
			return i
		}
	}
	return -1
}

// MissingGlyphError names characters that no font has. Nothing is written
// when a document has one.
type MissingGlyphError struct{ Runes []rune }

func (e *MissingGlyphError) Error() string {
	var b strings.Builder
	b.WriteString("所选字体中没有这些字符，无法打印：")
	for i, r := range e.Runes {
		if i > 0 {
			b.WriteString("、")
		}
		fmt.Fprintf(&b, "“%c”（U+%04X）", r, r)
	}
	b.WriteString("。请在设置中换一种字体，或修改这些文字。")
	return b.String()
}

// Check returns a *MissingGlyphError naming every character of texts that
// no font has. Characters above U+FFFF are not errors: they are printed as
// a marker and listed by Unprintable.
func (fs *Fonts) Check(texts ...string) error {
	var missing []rune
	seen := map[rune]bool{}
	for _, s := range texts {
		for _, r := range s {
			if r < 0x20 || r > 0xFFFF || seen[r] {
				continue
			}
			seen[r] = true
			if fs.fontFor(r) < 0 {
				missing = append(missing, r)
			}
		}
	}
	if missing != nil {
		return &MissingGlyphError{Runes: missing}
	}
	return nil
}

// Unprintable lists the characters above U+FFFF in texts: gofpdf can't
// print them, so documents show a marker (〓) in their place.
func Unprintable(texts ...string) []rune {
	var out []rune
	seen := map[rune]bool{}
	for _, s := range texts {
		for _, r := range s {
			if r > 0xFFFF && !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// FontChoice is a Chinese font file (or one face of a collection) found on
// this system, for the font list in settings.
type FontChoice struct {
	Path   string
	Index  int    // face inside a .ttc
	Family string // e.g. 文泉驿微米黑
	Latin  bool   // has its own Latin letters and digits (else the Go font sets them)
	Err    error  // why it can't be used (CFF outlines, damaged); nil when usable
}

// ListCJKFonts loads every Chinese font under dirs (FontDirs()) and every
// face of collections, best first. It parses each font (about 20 ms a face),
// so call it off the UI goroutine.
func ListCJKFonts(dirs []string) []FontChoice {
	paths := FindCJKFonts(dirs)
	sort.SliceStable(paths, func(i, j int) bool { return rank(paths[i]) < rank(paths[j]) })
	var out []FontChoice
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			out = append(out, FontChoice{Path: p, Family: filepath.Base(p), Err: err})
			continue
		}
		for i := 0; i < FontFaces(data); i++ {
			f, err := ParseFont(p, data, i)
			if err != nil {
				out = append(out, FontChoice{Path: p, Index: i, Family: filepath.Base(p), Err: err})
				continue
			}
			if !f.Has('中') {
				continue
			}
			out = append(out, FontChoice{Path: p, Index: i, Family: f.Family, Latin: f.Has('0') && f.Has('A')})
		}
	}
	return out
}
