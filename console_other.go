//go:build !windows

package main

// attachConsole is needed on Windows only, where the executable is built
// for the GUI subsystem.
func attachConsole() {}
