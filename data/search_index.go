package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"unicode"
)

// The global search's own indexes (migration 0005): search_tri (trigram,
// 3+ characters) and search_grams (single characters and pairs, 1–2
// characters), keyed by search key. Triggers queue changed rows in
// search_dirty; foldDirty brings the indexes up to date from the queue.

// itemKeyBase separates item keys from customer keys: a customer's key is
// its id, an item's is itemKeyBase + its id.
const itemKeyBase = int64(1) << 40

// foldBatch is how many queued rows one transaction folds in. A search
// folds a short queue itself; a longer one (after a migration or a bulk
// load without RebuildDerived) is folded in the background, batch by batch.
const foldBatch = 2000

// isGramRune reports whether r takes part in character-pair tokens: Chinese
// characters and other non-ASCII letters, which the unicode61 tokenizer
// keeps inside tokens.
func isGramRune(r rune) bool {
	return r > 127 && (unicode.Is(unicode.Han, r) || unicode.IsLetter(r))
}

// gramTokens adds to set every single character and pair of adjacent
// characters in the runs of gram runes of s.
func gramTokens(set map[string]bool, s string) {
	var prev rune
	for _, r := range s {
		if !isGramRune(r) {
			prev = 0
			continue
		}
		set[string(r)] = true
		if prev != 0 {
			set[string([]rune{prev, r})] = true
		}
		prev = r
	}
}

// pinyinTokens adds "py" + every initial and every pair of adjacent
// initials of name (all readings), so that one or two letters find the
// name: py + "yh" for 银行, with 行 read both háng and xíng.
func pinyinTokens(set map[string]bool, name string) {
	var prev []string
	for _, r := range NormalizeWidth(name) {
		ini := cachedInitials(r)
		if len(ini) == 0 {
			continue
		}
		for _, a := range ini {
			set["py"+a] = true
			for _, p := range prev {
				set["py"+p+a] = true
			}
		}
		prev = ini
	}
}

// initialsCache keeps initialsOf per rune: go-pinyin looks readings up
// through regular expressions, the bulk of a rebuild's Go time.
var initialsCache sync.Map // rune → []string

func cachedInitials(r rune) []string {
	if v, ok := initialsCache.Load(r); ok {
		return v.([]string)
	}
	ini := initialsOf(r)
	initialsCache.Store(r, ini)
	return ini
}

func joinTokens(set map[string]bool) string {
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

// customerDoc is what the global search finds a customer by.
type customerDoc struct {
	id                                                 int64
	code, name, short, mnemonic, credit, phone, mobile string
	address                                            string
	keys                                               string // customers.pinyin_keys, when kept
	contacts                                           []contactDoc
}

type contactDoc struct{ name, mobile, phone string }

func (d *customerDoc) texts() (tri, grams string) {
	parts := []string{d.code, d.name, d.short, d.mnemonic, d.credit, d.phone, d.mobile, d.address}
	for _, c := range d.contacts {
		parts = append(parts, c.name, c.mobile, c.phone)
	}
	// The readings of the name as the customer search keeps them (the same
	// transaction or RebuildDerived's earlier step fills them); computed
	// here for rows a bulk load left without.
	if d.keys != "" {
		parts = append(parts, d.keys)
	} else {
		parts = append(parts, PinyinKeys(d.name)...)
	}
	tri = foldText(strings.Join(parts, "\n"))
	set := map[string]bool{}
	gramTokens(set, tri)
	pinyinTokens(set, d.name)
	pinyinTokens(set, d.short)
	pinyinTokens(set, d.mnemonic)
	return tri, joinTokens(set)
}

// itemDoc is what the global search finds an item by (besides
// archive_items_fts, which holds 题名, 档号, 文号 and 责任者).
type itemDoc struct {
	id                                  int64
	title, code, docNo, author, remarks string
}

func (d *itemDoc) texts() (tri, grams string) {
	set := map[string]bool{}
	gramTokens(set, foldText(strings.Join([]string{d.title, d.code, d.docNo, d.author, d.remarks}, "\n")))
	return foldText(d.remarks), joinTokens(set)
}

// foldText is how indexed text and queries are compared: half-width,
// lower case.
func foldText(s string) string { return strings.ToLower(NormalizeWidth(s)) }

// indexWriter writes search documents through prepared statements.
type indexWriter struct {
	delTri, delGrams, insTri, insGrams *sql.Stmt
}

func newIndexWriter(ctx context.Context, tx *sql.Tx) (*indexWriter, error) {
	w := &indexWriter{}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&w.delTri, `DELETE FROM search_tri WHERE rowid = ?`},
		{&w.delGrams, `DELETE FROM search_grams WHERE rowid = ?`},
		{&w.insTri, `INSERT INTO search_tri (rowid, text) VALUES (?, ?)`},
		{&w.insGrams, `INSERT INTO search_grams (rowid, text) VALUES (?, ?)`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.st = st
	}
	return w, nil
}

func (w *indexWriter) close() {
	for _, st := range []*sql.Stmt{w.delTri, w.delGrams, w.insTri, w.insGrams} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *indexWriter) remove(ctx context.Context, key int64) error {
	if _, err := w.delTri.ExecContext(ctx, key); err != nil {
		return err
	}
	_, err := w.delGrams.ExecContext(ctx, key)
	return err
}

func (w *indexWriter) add(ctx context.Context, key int64, tri, grams string) error {
	if tri != "" {
		if _, err := w.insTri.ExecContext(ctx, key, tri); err != nil {
			return err
		}
	}
	if grams != "" {
		if _, err := w.insGrams.ExecContext(ctx, key, grams); err != nil {
			return err
		}
	}
	return nil
}

const customerDocSQL = `SELECT id, code, name, short_name, mnemonic, credit_code, phone, mobile, address, pinyin_keys
	FROM customers`

func scanCustomerDoc(sc interface{ Scan(...any) error }) (customerDoc, error) {
	var d customerDoc
	err := sc.Scan(&d.id, &d.code, &d.name, &d.short, &d.mnemonic, &d.credit, &d.phone, &d.mobile, &d.address, &d.keys)
	return d, err
}

const itemDocSQL = `SELECT id, title, code, doc_no, author, remarks FROM archive_items`

func scanItemDoc(sc interface{ Scan(...any) error }) (itemDoc, error) {
	var d itemDoc
	err := sc.Scan(&d.id, &d.title, &d.code, &d.docNo, &d.author, &d.remarks)
	return d, err
}

// contactsOf reads the contacts of the customers that where selects.
func contactsOf(ctx context.Context, q queryer, where string, args ...any) (map[int64][]contactDoc, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_id, name, mobile, phone FROM customer_contacts
		WHERE customer_id IN (SELECT id FROM customers `+where+`) ORDER BY customer_id, seq, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]contactDoc{}
	for rows.Next() {
		var id int64
		var c contactDoc
		if err := rows.Scan(&id, &c.name, &c.mobile, &c.phone); err != nil {
			return nil, err
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// foldDirty folds up to max queued rows into the search indexes in tx and
// reports how many it took.
func foldDirty(ctx context.Context, tx *sql.Tx, max int) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key FROM search_dirty ORDER BY key LIMIT ?`, max)
	if err != nil {
		return 0, err
	}
	var keys []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(keys) == 0 {
		return 0, err
	}
	w, err := newIndexWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer w.close()
	for _, k := range keys {
		if err := w.remove(ctx, k); err != nil {
			return 0, fmt.Errorf("unindex %d: %w", k, err)
		}
	}
	lo, hi := keys[0], keys[len(keys)-1]
	if lo < itemKeyBase {
		// Customers first: the keys are sorted, so customers come first.
		chi := hi
		if chi >= itemKeyBase {
			chi = itemKeyBase - 1
		}
		if err := indexCustomers(ctx, tx, w, `WHERE id IN (SELECT key FROM search_dirty WHERE key BETWEEN ? AND ?)`,
			lo, chi); err != nil {
			return 0, err
		}
	}
	if hi >= itemKeyBase {
		ilo := lo
		if ilo < itemKeyBase {
			ilo = itemKeyBase
		}
		if err := indexItems(ctx, tx, w, `WHERE id IN (SELECT key - ? FROM search_dirty WHERE key BETWEEN ? AND ?)`,
			itemKeyBase, ilo, hi); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_dirty WHERE key BETWEEN ? AND ?`, lo, hi); err != nil {
		return 0, err
	}
	return len(keys), nil
}

// indexCustomers adds the customers that where selects to the indexes.
func indexCustomers(ctx context.Context, tx *sql.Tx, w *indexWriter, where string, args ...any) error {
	rows, err := tx.QueryContext(ctx, customerDocSQL+` `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("read customers for search: %w", err)
	}
	var docs []customerDoc
	for rows.Next() {
		d, err := scanCustomerDoc(rows)
		if err != nil {
			rows.Close()
			return err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(docs) == 0 {
		return err
	}
	contacts, err := contactsOf(ctx, tx, where, args...)
	if err != nil {
		return fmt.Errorf("read contacts for search: %w", err)
	}
	for _, d := range docs {
		d.contacts = contacts[d.id]
		tri, grams := d.texts()
		if err := w.add(ctx, d.id, tri, grams); err != nil {
			return fmt.Errorf("index customer: %w", err)
		}
	}
	return nil
}

func indexItems(ctx context.Context, tx *sql.Tx, w *indexWriter, where string, args ...any) error {
	rows, err := tx.QueryContext(ctx, itemDocSQL+` `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("read items for search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanItemDoc(rows)
		if err != nil {
			return err
		}
		tri, grams := d.texts()
		if err := w.add(ctx, itemKeyBase+d.id, tri, grams); err != nil {
			return fmt.Errorf("index item: %w", err)
		}
	}
	return rows.Err()
}

// rebuildSearch empties the global search indexes and the queue and
// recomputes them from the customers, contacts and items.
func rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`DELETE FROM search_dirty`,
		`INSERT INTO search_tri (search_tri) VALUES ('delete-all')`,
		`INSERT INTO search_grams (search_grams) VALUES ('delete-all')`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	w, err := newIndexWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	// Customers in slices of ids, so that contacts are read a slice at a time.
	var maxID int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM customers`).Scan(&maxID); err != nil {
		return err
	}
	const slice = 20000
	for lo := int64(0); lo <= maxID; lo += slice {
		if err := indexCustomers(ctx, tx, w, `WHERE id BETWEEN ? AND ?`, lo, lo+slice-1); err != nil {
			return err
		}
	}
	return indexItems(ctx, tx, w, ``)
}

func init() {
	registerDerived("search", func(ctx context.Context, _ *Store, tx *sql.Tx) error { return rebuildSearch(ctx, tx) })
}

// folding tracks the stores whose queue is being folded in the background.
var folding sync.Map // *Store → struct{}

// refreshSearch brings the search indexes up to date before a search: a
// short queue is folded at once; a long one is left to a background fold
// (started here if none runs) and refreshSearch reports false, meaning the
// indexes are not yet complete.
func (s *Store) refreshSearch(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_dirty LIMIT ?)`,
		foldBatch+1).Scan(&n); err != nil {
		return false, fmt.Errorf("search queue: %w", err)
	}
	if n == 0 {
		return true, nil
	}
	if _, busy := folding.Load(s); n <= foldBatch && !busy {
		err := s.inTx(ctx, func(tx *sql.Tx) error { _, err := foldDirty(ctx, tx, foldBatch); return err })
		return err == nil, err
	}
	s.foldInBackground()
	return false, nil
}

// PrepareSearch starts folding a long queue of changes (after an upgrade
// or a bulk load) in the background, so that the indexes are complete by
// the time they are needed; a short queue is left to the next search.
func (s *Store) PrepareSearch(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_dirty LIMIT ?)`,
		foldBatch+1).Scan(&n); err != nil {
		return fmt.Errorf("search queue: %w", err)
	}
	if n > foldBatch {
		s.foldInBackground()
	}
	return nil
}

// foldInBackground folds the whole queue, batch by batch, unless a fold is
// already running for this store.
func (s *Store) foldInBackground() {
	if _, busy := folding.LoadOrStore(s, struct{}{}); busy {
		return
	}
	go func() {
		ctx := context.Background()
		for {
			var n int
			err := s.inTx(ctx, func(tx *sql.Tx) error {
				var err error
				n, err = foldDirty(ctx, tx, foldBatch)
				return err
			})
			if err != nil {
				folding.Delete(s)
				return
			}
			if n > 0 {
				continue
			}
			folding.Delete(s)
			// A fold asked for while this one was finishing found it busy:
			// look again, and carry on unless another fold has started.
			var left int
			if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_dirty LIMIT 1)`).
				Scan(&left); err != nil || left == 0 {
				return
			}
			if _, busy := folding.LoadOrStore(s, struct{}{}); busy {
				return
			}
		}
	}()
}

// RefreshSearch folds every queued change into the search indexes now
// (the command line calls it to have complete results).
func (s *Store) RefreshSearch(ctx context.Context) error {
	for {
		var n int
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = foldDirty(ctx, tx, foldBatch)
			return err
		}); err != nil {
			return fmt.Errorf("refresh search: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
