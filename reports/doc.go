// Package reports writes what the program prints and exports: PDF
// catalogues and labels, Excel workbooks. It imports no UI code; reports are
// encoders that take data values and an io.Writer.
package reports
