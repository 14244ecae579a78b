package app

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
)

// StartupProbeEnv names the environment variable that makes the program
// print how long it took from start to the first drawn frame, then quit.
// Used to measure start-up time (docs/PERFORMANCE.md).
const StartupProbeEnv = "DANGAN_STARTUP_PROBE"

// ProbeStartup, when the probe variable is set, waits for the window's
// first rendered frame, prints the time since start to stderr and quits.
func (u *UI) ProbeStartup(start time.Time) {
	if os.Getenv(StartupProbeEnv) == "" {
		return
	}
	u.app.Lifecycle().SetOnStarted(func() {
		go func() {
			fyne.DoAndWait(func() { u.win.Canvas().Capture() }) // forces a real paint
			fmt.Fprintf(os.Stderr, "startup_ms=%.1f\n", float64(time.Since(start).Microseconds())/1000)
			fyne.Do(u.app.Quit)
		}()
	})
}
