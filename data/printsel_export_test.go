package data

// SetPrintPage sets how many rows a print-selection query fetches, so tests
// cross page boundaries with few rows; it returns a function restoring it.
func SetPrintPage(n int) func() {
	old := printPage
	printPage = n
	return func() { printPage = old }
}
