package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// recordRef is a kind of record that points at records of another entity and
// so keeps them from being deleted. Each file that adds a table registers
// the references it holds with registerRef, so that a delete names what
// still refers to the record ("还有 3 个用户（…）").
type recordRef struct {
	what  string // Chinese name of the referring kind, e.g. "用户"
	query string // display names of the referring rows; one ? = the target's id
}

var refsTo = map[string][]recordRef{}

// registerRef records that rows found by query refer to records of entity
// target.
func registerRef(target, what, query string) {
	refsTo[target] = append(refsTo[target], recordRef{what: what, query: query})
}

// referrers lists what still refers to record id of entity target, as
// phrases like "2 个用户（zhang、li）"; empty when nothing does.
func referrers(ctx context.Context, tx *sql.Tx, target string, id int64) ([]string, error) {
	var out []string
	for _, ref := range refsTo[target] {
		names, n, err := firstNames(ctx, tx, ref.query, id, 3)
		if err != nil {
			return nil, fmt.Errorf("check %s references: %w", ref.what, err)
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d 个%s（%s）", n, ref.what, names))
		}
	}
	return out, nil
}

// firstNames runs query with arg and returns up to max names joined, plus
// the total count.
func firstNames(ctx context.Context, tx *sql.Tx, query string, arg any, max int) (string, int, error) {
	rows, err := tx.QueryContext(ctx, query, arg)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	var names []string
	n := 0
	for rows.Next() {
		n++
		if n > max {
			continue
		}
		var name string
		if err := rows.Scan(&name); err != nil {
			return "", 0, err
		}
		names = append(names, name)
	}
	out := strings.Join(names, "、")
	if n > max {
		out += " 等"
	}
	return out, n, rows.Err()
}
