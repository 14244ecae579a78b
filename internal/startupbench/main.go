// Command startupbench is the yardstick for 档案通's start-up time: a bare
// Fyne window with the main window's tabs and Chinese labels, and no
// database. With DANGAN_STARTUP_PROBE=1 it prints startup_ms=… after its
// first drawn frame and quits, like the real program (`make startup`).
package main

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// tabs are the main window's tabs (all of them, as an administrator sees them).
var tabs = []string{"客户档案", "客户提醒", "档案管理", "基础资料", "部门", "用户", "操作日志", "备份与恢复", "系统设置"}

func main() {
	start := time.Now()
	a := fyneapp.NewWithID("cn.dangan.startupbench")
	w := a.NewWindow("档案通")
	w.Resize(fyne.NewSize(1100, 720))
	var items []*container.TabItem
	for _, t := range tabs {
		items = append(items, container.NewTabItem(t, container.NewVBox(
			widget.NewLabel(t+"：共 0 条记录"),
			container.NewHBox(widget.NewButton("新建", nil), widget.NewButton("导出 Excel", nil)))))
	}
	bar := container.NewHBox(widget.NewLabel("当前用户：系统管理员（admin，管理员）    全宗：Z001 测试单位"),
		layout.NewSpacer(), widget.NewButton("修改密码", nil), widget.NewButton("退出登录", nil))
	w.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil,
		container.NewAppTabs(items...)))
	if os.Getenv("DANGAN_STARTUP_PROBE") != "" {
		a.Lifecycle().SetOnStarted(func() {
			go func() {
				fyne.DoAndWait(func() { w.Canvas().Capture() }) // forces a real paint
				fmt.Fprintf(os.Stderr, "startup_ms=%.1f\n", float64(time.Since(start).Microseconds())/1000)
				fyne.Do(a.Quit)
			}()
		})
	}
	w.ShowAndRun()
}
