// Package assets holds the files embedded in the program: its icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application and window icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
