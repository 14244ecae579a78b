package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"dangan/data"
)

// lister prints one kind of list for `dangan list KIND`. Each kind lives in
// its own file and registers itself with registerLister.
type lister struct {
	summary string
	// setup registers the kind's own flags and returns the function that
	// prints the list once the flags are parsed.
	setup func(fs *flag.FlagSet) func(ctx context.Context, s *data.Store, u *data.User, w *TSV) error
}

var listers = map[string]lister{}

func registerLister(kind string, l lister) { listers[kind] = l }

func listKinds() []string {
	var kinds []string
	for k := range listers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

func runList(env Env, dir string, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return &exitError{code: 2, msg: "请指定要列出的内容：dangan list " + strings.Join(listKinds(), "|") + " --user 用户名"}
	}
	l, ok := listers[args[0]]
	if !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("不能列出“%s”。可以列出：%s", args[0], strings.Join(listKinds(), "、"))}
	}
	fs := newFlags(env, "list "+args[0])
	userName := fs.String("user", "", "以哪个用户的身份（必填；密码取自 DANGAN_PASSWORD，否则提示输入）")
	print := l.setup(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	s, u, err := openAs(env, dir, *userName)
	if err != nil {
		return err
	}
	defer s.Close()
	w := NewTSV(env.Stdout)
	if err := print(context.Background(), s, u, w); err != nil {
		return err
	}
	return w.Flush()
}

// openAs opens the data directory and logs in as userName, so that a data
// command obeys that user's role and scope.
func openAs(env Env, dir, userName string) (*data.Store, *data.User, error) {
	if strings.TrimSpace(userName) == "" {
		return nil, nil, &exitError{code: 2, msg: "请用 --user 指定用户名：数据命令按该用户的角色和范围执行"}
	}
	if !data.Exists(dir) {
		return nil, nil, data.Errorf(data.ENOTFOUND, "数据目录 %s 中没有数据库。请先运行 dangan init 或打开图形界面完成首次设置。", dir)
	}
	pw := env.Getenv("DANGAN_PASSWORD")
	if pw == "" {
		var err error
		if pw, err = prompt(env, bufio.NewReader(env.Stdin), userName+" 的密码："); err != nil {
			return nil, nil, err
		}
	}
	s, err := data.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.Authenticate(context.Background(), userName, pw)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	if u.MustChangePassword {
		s.Close()
		return nil, nil, data.Errorf(data.EFORBIDDEN, "管理员重置了 %s 的密码：请先在图形界面中登录并修改密码", u.Username)
	}
	return s, u, nil
}

// TSV writes tab-separated rows: a header line, then one line per record.
// Tabs and line breaks inside values become spaces.
type TSV struct{ w *bufio.Writer }

// NewTSV returns a TSV writer on w.
func NewTSV(w io.Writer) *TSV { return &TSV{w: bufio.NewWriter(w)} }

var tsvClean = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")

// Row writes one line.
func (t *TSV) Row(values ...string) {
	for i, v := range values {
		if i > 0 {
			t.w.WriteByte('\t')
		}
		t.w.WriteString(tsvClean.Replace(v))
	}
	t.w.WriteByte('\n')
}

// Flush writes out what is buffered.
func (t *TSV) Flush() error { return t.w.Flush() }
