package main

import (
	"os"
	"syscall"
)

// attachConsole lets the command-line commands (`dangan.exe version`,
// `check`, `list`…) print in the Command Prompt or PowerShell window that
// started them. The executable is built for the GUI subsystem so that a
// shortcut opens no console window; such a program has no console of its
// own, and without this its output would go nowhere. Handles already
// redirected to a file or pipe are kept.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if attach.Find() != nil {
		return
	}
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return // started without a console (Explorer, a shortcut)
	}
	valid := func(f *os.File) bool {
		if f == nil {
			return false
		}
		_, err := syscall.GetFileType(syscall.Handle(f.Fd()))
		return err == nil
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		if !valid(os.Stdout) {
			os.Stdout = out
		}
		if !valid(os.Stderr) {
			os.Stderr = out
		}
	}
	if !valid(os.Stdin) {
		if in, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil {
			os.Stdin = in
		}
	}
}
