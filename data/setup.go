package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SetupInput is what the first run asks for: the fonds and the first admin.
// No default password ships with the program.
type SetupInput struct {
	FondsCode string
	FondsName string
	Username  string
	Password  string
}

// Initialized reports whether the first run has been completed (a user
// exists).
func (s *Store) Initialized(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n > 0, nil
}

// Initialize stores the fonds settings and creates the first admin, in one
// transaction. It refuses to run twice.
func (s *Store) Initialize(ctx context.Context, in SetupInput) (*User, error) {
	f := Fonds{Code: strings.TrimSpace(in.FondsCode), Name: strings.TrimSpace(in.FondsName), CodingRule: DefaultCodingRule}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	name, err := normalizeUsername(in.Username)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword(name, in.Password); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return Errorf(ECONFLICT, "数据库已经初始化过，不能再次初始化")
		}
		if err := writeFonds(ctx, tx, f); err != nil {
			return err
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (username, display_name, role,
			password_hash, created_at, updated_at) VALUES (?, ?, 'admin', ?, ?, ?)`,
			name, "系统管理员", hash, now, now)
		if err != nil {
			return fmt.Errorf("insert admin: %w", err)
		}
		id, _ = res.LastInsertId()
		admin := &User{ID: id, Username: name}
		return s.writeAudit(ctx, tx, admin, "", auditRecord{
			Entity: EntitySettings, EntityID: f.Code, Action: ActionInit,
			Summary: fmt.Sprintf("初始化：全宗 %s %s，管理员 %s", f.Code, f.Name, name),
			Changes: []Change{{Field: "全宗号", New: f.Code}, {Field: "全宗名称", New: f.Name}},
		})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}
