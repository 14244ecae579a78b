// Command dangan is 档案通, a desktop program for customer archives. With
// no command it opens the window; `dangan help` lists the commands.
package main

import (
	"fmt"
	"os"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"dangan/app"
	"dangan/app/cli"
)

// appID matches FyneApp.toml.
const appID = "cn.dangan.desktop"

func main() {
	start := time.Now()
	inv, err := cli.Parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if inv.Command != "" {
		attachConsole()
		os.Exit(cli.Run(inv, cli.OSEnv()))
	}
	dir, err := cli.ResolveDir(inv, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	a := fyneapp.NewWithID(appID)
	ui := app.New(a, dir)
	ui.ProbeStartup(start)
	ui.Window().ShowAndRun()
	ui.Close()
}
