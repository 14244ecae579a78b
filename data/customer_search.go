package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The customer search (see FindCustomers): customers.pinyin_keys holds
// every reading of the name's initials; customers.search_short a compact
// text for 1–2 character searches, scanned through a narrow index; and the
// trigram table customer_search the full text for 3+ characters. All are
// kept in step in the transaction of each change (indexCustomer) or
// rebuilt after a bulk load (RebuildCustomerSearch).

// searchRow is what a customer is found by.
type searchRow struct {
	id                                  int64
	code, name, short, mnemonic, credit string
	phone, mobile                       string
}

const searchRowColumns = `id, code, name, short_name, mnemonic, credit_code, phone, mobile`

func (r *searchRow) scan(sc interface{ Scan(...any) error }) error {
	return sc.Scan(&r.id, &r.code, &r.name, &r.short, &r.mnemonic, &r.credit, &r.phone, &r.mobile)
}

// texts returns the name's pinyin readings, the compact text that 1–2
// character searches scan, and the full text the trigram index holds. All
// are folded to lower case and half-width.
func (r *searchRow) texts() (keys, short, full string) {
	return r.textsWith(pinyinOf(r.name, r.short))
}

// searchPinyin is the pinyin part of a customer's search texts: it depends
// on the name and the short name only, so a bulk import works it out ahead.
type searchPinyin struct {
	keys  []string // PinyinKeys of the name
	pairs string   // PinyinPairs of the name and of the short name
}

func pinyinOf(name, short string) searchPinyin {
	return searchPinyin{keys: PinyinKeys(name), pairs: PinyinPairs(name) + " " + PinyinPairs(short)}
}

// textsWith is texts with the pinyin given.
func (r *searchRow) textsWith(p searchPinyin) (keys, short, full string) {
	keys = strings.Join(p.keys, " ")
	names := strings.ToLower(NormalizeWidth(strings.Join([]string{r.code, r.name, r.short, r.mnemonic}, " ")))
	// Phone numbers and credit codes are left out of the short text: one
	// or two of their characters find nothing in particular.
	// Letter pairs the 助记码 already holds are left out (most of them).
	for _, pair := range strings.Fields(p.pairs) {
		if !strings.Contains(names, pair) {
			short += " " + pair
		}
	}
	short = names + short
	full = names + " " + strings.ToLower(NormalizeWidth(strings.Join([]string{r.credit, r.phone, r.mobile}, " "))) + " " + keys
	return keys, short, full
}

// indexCustomer refreshes the customer's search columns and its row in
// the trigram index.
func indexCustomer(ctx context.Context, tx *sql.Tx, id int64) error {
	var r searchRow
	if err := r.scan(tx.QueryRowContext(ctx, `SELECT `+searchRowColumns+` FROM customers WHERE id = ?`, id)); err != nil {
		return fmt.Errorf("read customer for index: %w", err)
	}
	keys, short, full := r.texts()
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET pinyin_keys = ?, search_short = ? WHERE id = ?`,
		keys, short, id); err != nil {
		return fmt.Errorf("index customer: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("unindex customer: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_search (rowid, text) VALUES (?, ?)`, id, full); err != nil {
		return fmt.Errorf("index customer: %w", err)
	}
	return nil
}

// RebuildCustomerSearch recomputes every customer's search columns and
// refills the trigram index, for bulk loads that insert rows directly
// (keeping the index row by row is about 3× slower).
func (s *Store) RebuildCustomerSearch(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return rebuildCustomerSearch(ctx, tx) })
}

// rebuildCustomerSearch refills the customer search columns and index in tx.
func rebuildCustomerSearch(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_search`); err != nil {
		return fmt.Errorf("clear customer search: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+searchRowColumns+` FROM customers ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read customers for index: %w", err)
	}
	var all []searchRow
	for rows.Next() {
		var r searchRow
		if err := r.scan(rows); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE customers SET pinyin_keys = ?, search_short = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO customer_search (rowid, text) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, r := range all {
		keys, short, full := r.texts()
		if _, err := upd.ExecContext(ctx, keys, short, r.id); err != nil {
			return fmt.Errorf("index customer: %w", err)
		}
		if _, err := ins.ExecContext(ctx, r.id, full); err != nil {
			return fmt.Errorf("index customer: %w", err)
		}
	}
	return nil
}
