package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Setting keys stored in the settings table.
const (
	keyFondsCode  = "fonds_code"
	keyFondsName  = "fonds_name"
	keyCodingRule = "coding_rule"
)

// Fonds holds the office-wide settings of the archive (DESIGN 2.1).
type Fonds struct {
	Code       string // 全宗号, e.g. Z109
	Name       string // 全宗名称
	CodingRule string // hierarchical coding rule, e.g. 2-2-2
}

// Rule returns the parsed coding rule, falling back to the default.
func (f Fonds) Rule() CodingRule {
	r, err := ParseCodingRule(f.CodingRule)
	if err != nil {
		r, _ = ParseCodingRule(DefaultCodingRule)
	}
	return r
}

var fondsCodeRe = regexp.MustCompile(`^[A-Za-z0-9]{1,16}$`)

// Validate checks the fonds settings.
func (f Fonds) Validate() error {
	switch {
	case strings.TrimSpace(f.Name) == "":
		return fieldErr("fonds_name", "全宗名称不能为空，请填写单位全称")
	case utf8.RuneCountInString(f.Name) > 100:
		return fieldErr("fonds_name", "全宗名称太长：最多 100 个字")
	case !fondsCodeRe.MatchString(f.Code):
		return fieldErr("fonds_code", "全宗号应由 1 到 16 位字母或数字组成，例如 Z109")
	}
	if _, err := ParseCodingRule(f.CodingRule); err != nil {
		return err
	}
	return nil
}

func getSetting(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

func setSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}

// Fonds returns the office's fonds settings.
func (s *Store) Fonds(ctx context.Context) (Fonds, error) {
	var f Fonds
	for key, dst := range map[string]*string{keyFondsCode: &f.Code, keyFondsName: &f.Name, keyCodingRule: &f.CodingRule} {
		v, err := getSetting(ctx, s.db, key)
		if err != nil {
			return f, fmt.Errorf("read settings: %w", err)
		}
		*dst = v
	}
	if f.CodingRule == "" {
		f.CodingRule = DefaultCodingRule
	}
	return f, nil
}

func (s *Store) rule(ctx context.Context, q queryer) (CodingRule, error) {
	v, err := getSetting(ctx, q, keyCodingRule)
	if err != nil {
		return nil, err
	}
	if v == "" {
		v = DefaultCodingRule
	}
	return ParseCodingRule(v)
}

// writeFonds stores the fonds settings in tx.
func writeFonds(ctx context.Context, tx *sql.Tx, f Fonds) error {
	for _, kv := range [][2]string{{keyFondsCode, f.Code}, {keyFondsName, f.Name}, {keyCodingRule, f.CodingRule}} {
		if err := setSetting(ctx, tx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
