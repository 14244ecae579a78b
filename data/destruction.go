package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// EntityDestruction names 销毁清册 in the audit log.
const EntityDestruction = "destruction"

// Audit actions of destruction.
const (
	ActionPropose = "propose"
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionDestroy = "destroy"
)

func init() {
	registerEntity(EntityDestruction, "销毁清册")
	registerAction(ActionPropose, "提出销毁")
	registerAction(ActionApprove, "批准销毁")
	registerAction(ActionReject, "驳回销毁")
	registerAction(ActionDestroy, "销毁")
}

// Destruction register statuses.
const (
	DestructionDraft    = "draft"
	DestructionApproved = "approved"
	DestructionRejected = "rejected"
)

var destructionLabels = map[string]string{
	DestructionDraft: "待审批", DestructionApproved: "已批准", DestructionRejected: "已驳回",
}

// DestructionStatusLabel returns the Chinese name of a register status.
func DestructionStatusLabel(s string) string { return labelOr(destructionLabels, s) }

// DestructionMethods are the usual 销毁方式, for choosers.
var DestructionMethods = []string{"粉碎", "化浆", "焚烧", "电子数据删除"}

// DestructionRegister is one 销毁清册: proposed items, kept forever once
// decided.
type DestructionRegister struct {
	ID         int64
	No         string // 清册编号, e.g. XH2026-0001
	Status     string
	Reason     string
	Method     string
	Proposer   string
	ProposedAt time.Time
	Approver   string // who approved or rejected
	DecidedAt  time.Time
	RejectNote string
	ItemCount  int
	Items      []DestructionItem
}

// DestructionItem is an item on a register, as it was when proposed.
type DestructionItem struct {
	ItemID      int64
	Code        string
	Title       string
	Year        int
	Retention   string
	Pages       int
	Attachments int // attachments removed on approval
}

// DestructionInput proposes items for destruction.
type DestructionInput struct {
	ItemIDs []int64
	Reason  string // 销毁原因 (鉴定意见)
	Method  string // 销毁方式
}

// ProposeDestruction puts items due for appraisal on a new 销毁清册 draft
// and marks them 待销毁. Items out on loan, not yet due, or already
// proposed are refused; then nothing is written.
func (s *Store) ProposeDestruction(ctx context.Context, actor *User, in DestructionInput) (*DestructionRegister, error) {
	in.Reason, in.Method = cleanText(in.Reason), cleanText(in.Method)
	switch {
	case len(in.ItemIDs) == 0:
		return nil, fieldErr("items", "请先选择要销毁的档案")
	case in.Reason == "":
		return nil, fieldErr("reason", "请填写销毁原因（鉴定意见）")
	case in.Method == "":
		return nil, fieldErr("method", "请选择或填写销毁方式")
	}
	if err := checkLen("reason", "销毁原因", in.Reason, 200); err != nil {
		return nil, err
	}
	if err := checkLen("method", "销毁方式", in.Method, 30); err != nil {
		return nil, err
	}
	var id int64
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		no, err := nextNo(ctx, tx, "destruction_registers", "XH", s.today().Year())
		if err != nil {
			return err
		}
		now := s.nowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO destruction_registers (no, reason, method, proposer, proposed_at)
			VALUES (?, ?, ?, ?, ?)`, no, in.Reason, in.Method, orText(a.DisplayName, a.Username), now)
		if err != nil {
			return fmt.Errorf("insert register: %w", err)
		}
		id, _ = res.LastInsertId()
		var codes []string
		for _, itemID := range in.ItemIDs {
			it, err := itemInScope(ctx, tx, sc, itemID, "提出销毁")
			if err != nil {
				return err
			}
			var ret string
			if err := tx.QueryRowContext(ctx, `SELECT `+effectiveRetention+` FROM archive_items i WHERE id = ?`, itemID).Scan(&ret); err != nil {
				return err
			}
			n := retentionYears(ret)
			switch {
			case it.Status == StatusLent:
				return Errorf(ECONFLICT, "档案 %s 已借出，归还后才能销毁", it.Code)
			case it.Status == StatusPendingDestroy:
				return Errorf(ECONFLICT, "档案 %s 已在其他销毁清册中，等待审批", it.Code)
			case it.Status == StatusDestroyed:
				return Errorf(ECONFLICT, "档案 %s 已销毁", it.Code)
			case n == 0:
				return Errorf(ECONFLICT, "档案 %s 保管期限为永久，不能销毁", it.Code)
			case it.Group.Year+n >= s.today().Year():
				return Errorf(ECONFLICT, "档案 %s 保管期限（%s）到 %d 年才届满，现在不能销毁",
					it.Code, RetentionLabel(ret), it.Group.Year+n)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO destruction_items (register_id, item_id, code, title, year,
				retention, pages) VALUES (?, ?, ?, ?, ?, ?, ?)`, id, itemID, it.Code, it.Title, it.Group.Year, ret, it.Pages); err != nil {
				if isUniqueViolation(err) {
					continue // listed twice
				}
				return fmt.Errorf("insert register item: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisals (item_id, decision, old_retention, reason, at, user_name)
				VALUES (?, 'destroy', ?, ?, ?, ?)`, itemID, ret, in.Reason, now, a.Username); err != nil {
				return fmt.Errorf("record appraisal: %w", err)
			}
			if err := setItemStatus(ctx, tx, itemID, StatusIn, StatusPendingDestroy, now); err != nil {
				return err
			}
			codes = append(codes, it.Code)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDestruction, EntityID: no, Action: ActionPropose,
			Summary: fmt.Sprintf("提出销毁 %d 件：%s", len(codes), strings.Join(codes, "、")),
			Changes: []Change{{Field: "销毁原因", New: in.Reason}, {Field: "销毁方式", New: in.Method},
				{Field: "档号", New: strings.Join(codes, "、")}},
		})
	})
	if err != nil {
		return nil, err
	}
	return destructionByID(ctx, s.db, id)
}

// ApproveDestruction approves a draft register. Admins only. The items
// become 已销毁 (their records stay), their attachment rows go in the same
// transaction and the stored files after it, unless another attachment
// still uses the same content. The register is then fixed for good.
func (s *Store) ApproveDestruction(ctx context.Context, actor *User, id int64) error {
	var hashes []string
	err := s.decideDraft(ctx, actor, id, "批准销毁", func(tx *sql.Tx, a *User, r *DestructionRegister) error {
		now := s.nowText()
		for _, it := range r.Items {
			rows, err := tx.QueryContext(ctx, `SELECT sha256 FROM archive_attachments WHERE item_id = ?`, it.ItemID)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				var h string
				if err := rows.Scan(&h); err != nil {
					rows.Close()
					return err
				}
				hashes = append(hashes, h)
				n++
			}
			rows.Close()
			if _, err := tx.ExecContext(ctx, `DELETE FROM archive_attachments WHERE item_id = ?`, it.ItemID); err != nil {
				return fmt.Errorf("remove attachments: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE destruction_items SET attachments = ? WHERE register_id = ? AND item_id = ?`,
				n, id, it.ItemID); err != nil {
				return err
			}
			if err := setItemStatus(ctx, tx, it.ItemID, StatusPendingDestroy, StatusDestroyed, now); err != nil {
				return err
			}
			// The item's own history shows the destruction too.
			changes := []Change{{Field: "状态", Old: StatusLabel(StatusPendingDestroy), New: StatusLabel(StatusDestroyed)}}
			if n > 0 {
				changes = append(changes, Change{Field: "附件", Old: fmt.Sprintf("%d 个", n), New: "已删除"})
			}
			if err := s.writeAudit(ctx, tx, a, "", auditRecord{
				Entity: EntityItem, EntityID: it.Code, Action: ActionDestroy,
				Summary: "销毁档案 " + it.Code + "（销毁清册 " + r.No + "，" + r.Method + "）", Changes: changes,
			}); err != nil {
				return err
			}
		}
		// The files go after the commit; the list survives a crash.
		if err := queueBlobRemoval(ctx, tx, hashes); err != nil {
			return err
		}
		who := orText(a.DisplayName, a.Username)
		if _, err := tx.ExecContext(ctx, `UPDATE destruction_registers SET status = 'approved', approver = ?, decided_at = ?
			WHERE id = ?`, who, now, id); err != nil {
			return fmt.Errorf("approve register: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDestruction, EntityID: r.No, Action: ActionApprove,
			Summary: fmt.Sprintf("批准销毁 %d 件（%s），提出人 %s", len(r.Items), r.Method, r.Proposer),
			Changes: []Change{{Field: "状态", Old: "待审批", New: "已批准"}, {Field: "批准人", New: who}},
		})
	})
	if err != nil {
		return err
	}
	return s.removeQueuedBlobs(ctx)
}

// RejectDestruction rejects a draft register: its items go back to 在库.
// Admins only; the register stays, with the note.
func (s *Store) RejectDestruction(ctx context.Context, actor *User, id int64, note string) error {
	note = cleanText(note)
	if note == "" {
		return fieldErr("note", "请填写驳回理由")
	}
	if err := checkLen("note", "驳回理由", note, 200); err != nil {
		return err
	}
	return s.decideDraft(ctx, actor, id, "审批（驳回）销毁清册", func(tx *sql.Tx, a *User, r *DestructionRegister) error {
		now := s.nowText()
		for _, it := range r.Items {
			if err := setItemStatus(ctx, tx, it.ItemID, StatusPendingDestroy, StatusIn, now); err != nil {
				return err
			}
		}
		who := orText(a.DisplayName, a.Username)
		if _, err := tx.ExecContext(ctx, `UPDATE destruction_registers SET status = 'rejected', approver = ?, decided_at = ?,
			reject_note = ? WHERE id = ?`, who, now, note, id); err != nil {
			return fmt.Errorf("reject register: %w", err)
		}
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityDestruction, EntityID: r.No, Action: ActionReject,
			Summary: "驳回销毁清册 " + r.No + "：" + note,
			Changes: []Change{{Field: "状态", Old: "待审批", New: "已驳回"}, {Field: "驳回理由", New: note}},
		})
	})
}

// decideDraft runs fn in one write transaction for an admin (what names
// the act in the refusal of others) with register id, which must still be
// a draft: the opening of approval and rejection.
func (s *Store) decideDraft(ctx context.Context, actor *User, id int64, what string,
	fn func(tx *sql.Tx, a *User, r *DestructionRegister) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := s.requireAdmin(ctx, tx, actor, what)
		if err != nil {
			return err
		}
		r, err := destructionByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status != DestructionDraft {
			return Errorf(ECONFLICT, "销毁清册 %s 已于 %s %s，不能再审批", r.No,
				r.DecidedAt.Local().Format(dateLayout), DestructionStatusLabel(r.Status))
		}
		return fn(tx, a, r)
	})
}

const registerColumns = `r.id, r.no, r.status, r.reason, r.method, r.proposer, r.proposed_at, r.approver,
	r.decided_at, r.reject_note, (SELECT count(*) FROM destruction_items x WHERE x.register_id = r.id)`

func scanRegister(sc interface{ Scan(...any) error }) (*DestructionRegister, error) {
	var r DestructionRegister
	var proposed, decided string
	if err := sc.Scan(&r.ID, &r.No, &r.Status, &r.Reason, &r.Method, &r.Proposer, &proposed, &r.Approver,
		&decided, &r.RejectNote, &r.ItemCount); err != nil {
		return nil, err
	}
	r.ProposedAt, r.DecidedAt = parseTime(proposed), parseTime(decided)
	return &r, nil
}

func destructionByID(ctx context.Context, q queryer, id int64) (*DestructionRegister, error) {
	r, err := scanRegister(q.QueryRowContext(ctx, `SELECT `+registerColumns+` FROM destruction_registers r WHERE r.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "销毁清册不存在")
	}
	rows, err := q.QueryContext(ctx, `SELECT item_id, code, title, year, retention, pages, attachments
		FROM destruction_items WHERE register_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var it DestructionItem
		if err := rows.Scan(&it.ItemID, &it.Code, &it.Title, &it.Year, &it.Retention, &it.Pages, &it.Attachments); err != nil {
			return nil, err
		}
		r.Items = append(r.Items, it)
	}
	return r, rows.Err()
}

// DestructionByID returns a register with its items.
func (s *Store) DestructionByID(ctx context.Context, actor *User, id int64) (*DestructionRegister, error) {
	if _, err := s.currentActor(ctx, s.db, actor); err != nil {
		return nil, err
	}
	return destructionByID(ctx, s.db, id)
}

// FindDestructions lists registers of a status (all when empty), drafts
// first, then newest first.
func (s *Store) FindDestructions(ctx context.Context, actor *User, status string) ([]DestructionRegister, error) {
	if _, err := s.currentActor(ctx, s.db, actor); err != nil {
		return nil, err
	}
	q := `SELECT ` + registerColumns + ` FROM destruction_registers r`
	var args []any
	if status != "" {
		q += ` WHERE r.status = ?`
		args = append(args, status)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY r.status <> 'draft', r.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("find registers: %w", err)
	}
	defer rows.Close()
	var out []DestructionRegister
	for rows.Next() {
		r, err := scanRegister(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
