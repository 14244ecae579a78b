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
	"sync/atomic"

	"golang.org/x/term"

	"dangan/data"
)

// Backup commands. backup and restore act as a logged-in admin (--user);
// verify only reads a file and needs no login.

// readBackupPassword takes a backup password from DANGAN_BACKUP_PASSWORD,
// else asks (twice when it is new).
func readBackupPassword(env Env, confirm bool) (string, error) {
	if pw := env.Getenv("DANGAN_BACKUP_PASSWORD"); pw != "" {
		return pw, nil
	}
	in := bufio.NewReader(env.Stdin)
	pw, err := prompt(env, in, "备份密码：")
	if err != nil || !confirm {
		return pw, err
	}
	if len([]rune(pw)) < 8 {
		return "", data.Errorf(data.EINVALID, "备份密码至少 8 位：它保护离开办公室的全部档案")
	}
	again, err := prompt(env, in, "再输入一次：")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", data.Errorf(data.EINVALID, "两次输入的备份密码不一致")
	}
	return pw, nil
}

func runBackup(env Env, dir string, args []string) error {
	fs := newFlags(env, "backup")
	to := fs.String("to", "", "备份保存到的文件夹（默认为备份设置中的文件夹）")
	encrypt := fs.Bool("encrypt", false, "用密码加密备份（密码取自 DANGAN_BACKUP_PASSWORD，否则提示输入）")
	userName := fs.String("user", "", "管理员用户名（必填）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, u, err := openAs(env, dir, *userName)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	if *to == "" {
		set, err := s.BackupSettings(ctx)
		if err != nil {
			return err
		}
		*to = set.Dir
	}
	opt := data.BackupOptions{Progress: termProgress(env, "正在备份")}
	if *encrypt {
		if opt.Password, err = readBackupPassword(env, true); err != nil {
			return err
		}
	}
	res, err := s.Backup(ctx, u, *to, opt)
	endProgress(env)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s\n", res.Path)
	fmt.Fprintf(env.Stderr, "已备份（%s），%s，用时 %s\n", res.Manifest.Summary(), data.FormatSize(res.Size), data.FormatDuration(res.Duration))
	return nil
}

// fileArg parses flags around one positional FILE argument.
func fileArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", &exitError{code: 0}
		}
		return "", &exitError{code: 2}
	}
	if fs.NArg() == 0 {
		return "", &exitError{code: 2, msg: "请指定" + what}
	}
	file := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	return file, nil
}

func runVerify(env Env, _ string, args []string) error {
	fs := newFlags(env, "verify")
	file, err := fileArg(fs, args, "要检查的备份文件：dangan verify 文件")
	if err != nil {
		return err
	}
	pw := ""
	if data.BackupEncrypted(file) {
		if pw, err = readBackupPassword(env, false); err != nil {
			return err
		}
	}
	m, err := data.VerifyBackup(context.Background(), file, pw, termProgress(env, "正在检查"))
	endProgress(env)
	if err != nil {
		fmt.Fprintln(env.Stdout, data.ErrorMessage(err))
		return &exitError{code: 1, msg: "此备份文件不能用于恢复。"}
	}
	fmt.Fprintln(env.Stdout, "ok")
	fmt.Fprintf(env.Stderr, "备份完好：%s（程序版本 %s，数据结构版本 %d%s）\n", m.Summary(), m.ProgramVersion, m.SchemaVersion, encryptedNote(m))
	return nil
}

func encryptedNote(m *data.Manifest) string {
	if m.Encrypted {
		return "，已加密"
	}
	return ""
}

func runRestore(env Env, dir string, args []string) error {
	fs := newFlags(env, "restore")
	userName := fs.String("user", "", "管理员用户名（必填）")
	yes := fs.Bool("yes", false, "不再询问，直接恢复")
	file, err := fileArg(fs, args, "要恢复的备份文件：dangan restore 文件 --user 用户名")
	if err != nil {
		return err
	}
	// The GUI holds this lock while it runs: never swap data under it.
	lock, err := data.LockDir(dir)
	if err != nil {
		return err
	}
	defer lock.Release()
	s, u, err := openAs(env, dir, *userName)
	if err != nil {
		return err
	}
	defer s.Close()
	pw := ""
	if data.BackupEncrypted(file) {
		if pw, err = readBackupPassword(env, false); err != nil {
			return err
		}
	}
	ctx := context.Background()
	p, err := s.PrepareRestore(ctx, u, file, pw, termProgress(env, "正在检查"))
	endProgress(env)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "备份完好：%s\n", p.Manifest.Summary())
	if !*yes {
		fmt.Fprint(env.Stderr, "恢复后当前数据将被这份备份替换（替换前会自动再做一份安全备份）。确认恢复请输入 yes：")
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			p.Discard()
			return &exitError{code: 1, msg: "已取消，数据未作任何改动。"}
		}
	}
	res, err := p.Commit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已恢复：%s\n恢复前的数据已备份到 %s\n", res.Manifest.Summary(), res.SafetyBackup)
	return nil
}

// termProgress shows a percentage on stderr when it is a terminal; scripts
// and scheduled tasks get no progress lines.
func termProgress(env Env, label string) data.Progress {
	if !isTerminal(env.Stderr) {
		return nil
	}
	var last atomic.Int64
	last.Store(-1)
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		if p := done * 100 / total; last.Swap(p) != p {
			fmt.Fprintf(env.Stderr, "\r%s… %3d%%", label, p)
		}
	}
}

// endProgress clears the progress line.
func endProgress(env Env) {
	if isTerminal(env.Stderr) {
		fmt.Fprint(env.Stderr, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
