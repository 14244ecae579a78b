package cli

import (
	"context"
	"strconv"
	"strings"
)

// runSearch is `dangan search QUERY --user NAME [--limit N]`: the global
// search of the window's search box, as tab-separated rows (类别, 编码,
// 名称/题名, 匹配字段) grouped and ranked the same way.
func runSearch(env Env, dir string, args []string) error {
	fs := newFlags(env, "search")
	user := fs.String("user", "", "按该用户的权限搜索（必填）")
	limit := fs.Int("limit", 20, "每类最多列出的条数")
	flags, words := splitQuery(args)
	if err := parseFlags(fs, flags); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(words, " "))
	if query == "" {
		return &exitError{code: 2, msg: "请给出要搜索的内容，例如：dangan search 海淀 --user admin"}
	}
	s, u, err := openAs(env, dir, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	// A short-lived process cannot leave index work to the background.
	if err := s.RefreshSearch(ctx); err != nil {
		return err
	}
	r, err := s.Search(ctx, u, query, *limit)
	if err != nil {
		return err
	}
	w := NewTSV(env.Stdout)
	w.Row("类别", "编码", "名称/题名", "匹配")
	for _, g := range r.Groups {
		for _, h := range g.Hits {
			w.Row(g.Label, h.Code, h.Title, h.Field)
		}
	}
	return w.Flush()
}

// splitQuery separates the flags (with their values) from the words of
// the query, so that flags may come before or after it.
func splitQuery(args []string) (flags, words []string) {
	valued := map[string]bool{"user": true, "limit": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(words, args[i+1:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" || isNumber(a) {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if valued[name] && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return flags, words
}

func isNumber(s string) bool { _, err := strconv.Atoi(s); return err == nil }
