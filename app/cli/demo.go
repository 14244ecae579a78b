package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangan/data"
)

// runDemo builds a synthetic office (data.BuildSyntheticOffice) in a new
// data directory: DIR, or the data directory when DIR is left out.
func runDemo(env Env, dir string, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	fs := newFlags(env, "demo")
	var size data.SyntheticSize
	fs.IntVar(&size.Customers, "customers", 100_000, "客户数")
	fs.IntVar(&size.Items, "items", 1_000_000, "档案件数")
	fs.IntVar(&size.Boxes, "boxes", 0, "档案盒数（默认为档案件数的 1/50）")
	fs.IntVar(&size.Years, "years", 10, "年度数")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if size.Boxes == 0 {
		size.Boxes = max(size.Items/50, 1)
	}
	if size.Customers < 1 || size.Items < 1 || size.Boxes < 1 || size.Years < 1 {
		return &exitError{code: 2, msg: "客户数、档案件数、盒数和年度数都至少为 1"}
	}
	fmt.Fprintf(env.Stderr, "正在生成演示数据：%d 个客户、%d 件档案、%d 个档案盒、%d 个年度，保存到 %s\n",
		size.Customers, size.Items, size.Boxes, size.Years, dir)
	t0 := time.Now()
	if err := data.BuildSyntheticOfficeLog(context.Background(), dir, size, env.Stderr); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "完成，用时 %.1f 秒。登录：用户名 %s，密码 %s（其他用户 dagl、op01…op18 密码相同）\n",
		time.Since(t0).Seconds(), data.SyntheticUser, data.SyntheticPassword)
	fmt.Fprintln(env.Stdout, dir)
	return nil
}
