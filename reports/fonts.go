package reports

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
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
