// Package cli is the command line beside the GUI: `dangan help`, `version`,
// `init` and `check`. Commands are thin: they parse flags and call data/.
// Messages go to stderr, in Chinese; a failure exits non-zero.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"dangan/data"
)

// Env is the outside world a command sees; tests replace it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// OSEnv returns the process's real environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Invocation is a parsed command line: global flags, the command and its
// own arguments. An empty Command means: open the GUI.
type Invocation struct {
	DataDir string
	Command string
	Args    []string
}

// Parse takes the global flag --data-dir (anywhere on the line) and splits
// off the command.
func Parse(args []string) (Invocation, error) {
	var inv Invocation
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data-dir" || a == "-data-dir":
			if i+1 >= len(args) {
				return inv, errors.New("--data-dir 后面需要一个目录")
			}
			inv.DataDir = args[i+1]
			i++
		case strings.HasPrefix(a, "--data-dir="):
			inv.DataDir = strings.TrimPrefix(a, "--data-dir=")
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 {
		inv.Command, inv.Args = rest[0], rest[1:]
	}
	switch inv.Command {
	case "-h", "--help", "-help":
		inv.Command = "help"
	case "--version", "-v":
		inv.Command = "version"
	}
	return inv, nil
}

// ResolveDir returns the data directory: --data-dir, else DANGAN_DATA_DIR,
// else the OS default.
func ResolveDir(inv Invocation, getenv func(string) string) (string, error) {
	if inv.DataDir != "" {
		return inv.DataDir, nil
	}
	if d := getenv("DANGAN_DATA_DIR"); d != "" {
		return d, nil
	}
	return data.DefaultDir()
}

type command struct {
	name    string
	usage   string
	summary string
	run     func(env Env, dir string, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"help", "dangan help", "显示本帮助", nil},
		{"version", "dangan version", "显示程序版本和数据结构版本", runVersion},
		{"init", "dangan init --admin 用户名 [--fonds-code 全宗号] [--fonds-name 全宗名称]",
			"初始化新的数据目录并建立管理员（密码取自环境变量 DANGAN_PASSWORD，否则提示输入）", runInit},
		{"check", "dangan check", "只读检查数据库的完整性和外键；正常时输出 ok", runCheck},
		{"list", "dangan list 内容 --user 用户名 [选项]",
			"按该用户的权限列出记录，制表符分隔、首行为表头（内容：运行 dangan list 查看）", runList},
		{"search", "dangan search 内容 --user 用户名 [--limit 20]",
			"按该用户的权限搜索客户、档案和档案盒（编码、名称、题名、拼音首字母、联系人、电话、档号、盒脊条码），按类分组排序，制表符分隔", runSearch},
		{"print", "dangan print catalogue|spines|covers|notes|stickers|card --user 用户名 -o 文件.pdf [--category KH-02] [--year 2026] [--retention D30] [--org XS] [--portrait] [--rows N] [--cover] [--paper A3|A4] [--boxes 0001-0010] [--customer 编码]",
			"按该用户的权限打印归档文件目录、盒脊、盒封面、备考表、归档章或客户档案卡（PDF）；目录打印后档号即固定", runPrint},
		{"backup", "dangan backup --user 管理员 [--to 文件夹] [--encrypt]", "备份数据库和全部附件（加密密码取自 DANGAN_BACKUP_PASSWORD，否则提示输入）；输出备份文件路径", runBackup},
		{"verify", "dangan verify 备份文件", "完整检查备份文件（校验和、数据库完整性）；正常时输出 ok", runVerify},
		{"restore", "dangan restore 备份文件 --user 管理员 [--yes]", "检查后用备份替换当前数据（先自动做一份安全备份；图形界面须先关闭）", runRestore},
		{"template", "dangan template 内容 文件.xlsx", "写出导入模板（内容：departments、customers、items）", runTemplate},
		{"import", "dangan import 内容 文件.xlsx [--dry-run] --user 用户名", "检查并导入电子表格：有一行出错就什么都不写入，并在原文件旁写出“文件名-错误.xlsx”", runImport},
		{"demo", "dangan demo 目录 [--customers 100000] [--items 1000000] [--boxes N] [--years 10]",
			"在新的数据目录中生成一个演示单位（部门、用户、客户、档案、装盒、借阅、销毁清册），用于试用和性能测量", runDemo},
		{"export", "dangan export 内容 文件.xlsx --user 用户名 [筛选]", "按该用户的权限把列表导出为 .xlsx（内容：departments、customers、items、boxes、loans、users、audit）", runExport},
	}
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Run executes the command and returns the process exit code.
func Run(inv Invocation, env Env) int {
	if inv.Command == "help" {
		printHelp(env.Stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != inv.Command {
			continue
		}
		dir, err := ResolveDir(inv, env.Getenv)
		if err == nil {
			err = c.run(env, dir, inv.Args)
		}
		if err == nil {
			return 0
		}
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(env.Stderr, ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(env.Stderr, "错误："+data.ErrorMessage(err))
		return 1
	}
	fmt.Fprintf(env.Stderr, "未知命令“%s”。运行 dangan help 查看可用的命令。\n", inv.Command)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "档案通 —— 客户档案管理")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "用法：dangan [--data-dir 目录] [命令] [参数]")
	fmt.Fprintln(w, "不带命令时打开图形界面。")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "命令：")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.summary, c.usage)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "全局选项：")
	fmt.Fprintln(w, "  --data-dir 目录   数据目录（也可用环境变量 DANGAN_DATA_DIR）；默认为用户配置目录下的 dangan")
}

// newFlags returns a flag set whose errors go to stderr in the usual way.
func newFlags(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseFlags parses args and turns a flag error into exit code 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0}
		}
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("多余的参数：%s", strings.Join(fs.Args(), " "))}
	}
	return nil
}

func runVersion(env Env, _ string, _ []string) error {
	fmt.Fprintf(env.Stdout, "档案通 dangan %s（数据结构版本 %d）\n", data.Version, data.SchemaVersion())
	return nil
}

func runInit(env Env, dir string, args []string) error {
	fs := newFlags(env, "init")
	admin := fs.String("admin", "", "管理员用户名（必填）")
	code := fs.String("fonds-code", "Z001", "全宗号")
	name := fs.String("fonds-name", "本单位", "全宗名称（单位全称）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*admin) == "" {
		return &exitError{code: 2, msg: "请用 --admin 指定管理员用户名，例如：dangan init --admin admin"}
	}
	if data.Exists(dir) {
		return data.Errorf(data.ECONFLICT, "数据目录 %s 中已有数据库，init 不会覆盖它。", dir)
	}
	pw, err := readNewPassword(env)
	if err != nil {
		return err
	}
	lock, err := data.LockDir(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	s, err := data.Open(dir)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.Initialize(context.Background(), data.SetupInput{FondsCode: *code, FondsName: *name, Username: *admin, Password: pw})
	if err != nil {
		s.Close()
		os.Remove(data.DBPath(dir)) // a refused setup leaves no empty database behind
		os.Remove(data.DBPath(dir) + "-wal")
		os.Remove(data.DBPath(dir) + "-shm")
		return err
	}
	fmt.Fprintf(env.Stdout, "已初始化 %s：全宗 %s %s，管理员 %s\n", dir, *code, *name, u.Username)
	return nil
}

// readNewPassword takes the password from DANGAN_PASSWORD, else asks twice.
func readNewPassword(env Env) (string, error) {
	if pw := env.Getenv("DANGAN_PASSWORD"); pw != "" {
		return pw, nil
	}
	in := bufio.NewReader(env.Stdin)
	pw, err := prompt(env, in, "管理员密码（至少 8 位，含字母和数字）：")
	if err != nil {
		return "", err
	}
	again, err := prompt(env, in, "再输入一次：")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", data.Errorf(data.EINVALID, "两次输入的密码不一致")
	}
	return pw, nil
}

// prompt reads one line from in; from a terminal without echo.
func prompt(env Env, in *bufio.Reader, label string) (string, error) {
	fmt.Fprint(env.Stderr, label)
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		return string(b), err
	}
	line, err := in.ReadString('\n')
	if err != nil && line == "" {
		return "", data.Errorf(data.EINVALID, "没有读到密码：请在终端中运行，或设置环境变量 DANGAN_PASSWORD")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runCheck(env Env, dir string, args []string) error {
	if err := parseFlags(newFlags(env, "check"), args); err != nil {
		return err
	}
	problems, err := data.Check(context.Background(), dir)
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		fmt.Fprintln(env.Stdout, "ok")
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(env.Stdout, p)
	}
	return &exitError{code: 1, msg: fmt.Sprintf("发现 %d 个问题：请用最近的备份恢复，或联系技术支持。", len(problems))}
}
