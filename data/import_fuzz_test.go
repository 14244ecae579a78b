package data_test

import (
	"strings"
	"testing"

	"dangan/data"
)

// FuzzImportRow imports one fuzzed row of customers and of items as a dry
// run: row errors are fine; a panic or an internal error is not.
func FuzzImportRow(f *testing.F) {
	f.Add("北京海淀科技有限公司\t01\t0101\t91350100M000100Y43\t2026年5月1日\t010-62345678\tA")
	f.Add("\t\t\t\t\t\t")
	f.Add("＝１\t０１\t\t\t46143.9\t\t")
	f.Add("KH-02\t2026\t01\t题名\t3\t010001\t20260501\t机密")
	f.Add("\x00\xff\t-\t1e308\t9999999999\tNaN")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, line string) {
		cells := strings.Split(line, "\t")
		for _, kind := range []string{data.ImportCustomers, data.ImportItems, data.ImportDepartments} {
			header := custHeader
			switch kind {
			case data.ImportItems:
				header = itemHeader
			case data.ImportDepartments:
				header = []string{"部门编码", "部门名称"}
			}
			_, err := fx.s.Import(ctx, fx.admin, data.ImportInput{Kind: kind, Header: header, Rows: [][]string{cells}, DryRun: true})
			if err != nil && data.ErrorCode(err) == data.EINTERNAL {
				t.Fatalf("%s %q: %v", kind, line, err)
			}
		}
	})
}
