// Command synthoffice prints the data directory of the cached synthetic
// office (data.SyntheticOffice), building it on first use, or copies it to
// a new data directory with -copy. `make startup` and `make bench` use it.
//
//	go run -tags '…' ./internal/synthoffice [-customers N -items N -boxes N -years N] [-copy DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"dangan/data"
)

func main() {
	var size data.SyntheticSize
	flag.IntVar(&size.Customers, "customers", 0, "customers (0: 100,000)")
	flag.IntVar(&size.Items, "items", 0, "archive items (0: 1,000,000)")
	flag.IntVar(&size.Boxes, "boxes", 0, "boxes (0: 20,000)")
	flag.IntVar(&size.Years, "years", 0, "years (0: 10)")
	dst := flag.String("copy", "", "copy the office into this new data directory and print it")
	flag.Parse()
	ctx := context.Background()
	dir, err := data.SyntheticOffice(ctx, size)
	if err == nil && *dst != "" {
		dir, err = data.CopySyntheticOffice(ctx, size, *dst)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthoffice:", err)
		os.Exit(1)
	}
	fmt.Println(dir)
}
