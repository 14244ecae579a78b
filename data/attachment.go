package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Attachment is an electronic file of an item (a scan, a PDF, an image).
// The file is stored once per content hash; the row keeps its original
// name and size.
type Attachment struct {
	ID        int64
	ItemID    int64
	SHA256    string
	Name      string
	Size      int64
	CreatedAt time.Time
}

// MaxAttachmentSize is the largest file accepted (1 GiB).
const MaxAttachmentSize = 1 << 30

// blobPath is where the file with hash h is stored.
func (s *Store) blobPath(h string) string {
	return filepath.Join(s.AttachmentsDir(), h[:2], h)
}

// AttachmentPath returns the stored file of a.
func (s *Store) AttachmentPath(a Attachment) string { return s.blobPath(a.SHA256) }

// FindAttachments lists an item's attachments, oldest first.
func (s *Store) FindAttachments(ctx context.Context, actor *User, itemID int64) ([]Attachment, error) {
	if _, err := s.ItemByID(ctx, actor, itemID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, item_id, sha256, name, size, created_at
		FROM archive_attachments WHERE item_id = ? ORDER BY id`, itemID)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var created string
		if err := rows.Scan(&a.ID, &a.ItemID, &a.SHA256, &a.Name, &a.Size, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// stageFile copies path into a temp file inside the attachments folder and
// returns the temp file's path, the content hash and the size.
func (s *Store) stageFile(path string) (string, string, int64, error) {
	src, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", "", 0, fieldErr("file", "找不到附件文件“%s”：文件可能已被移动或删除，请重新选择", path)
	} else if err != nil {
		return "", "", 0, fieldErr("file", "无法读取附件文件“%s”：%v", path, err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return "", "", 0, err
	}
	if st.IsDir() {
		return "", "", 0, fieldErr("file", "“%s”是文件夹，请选择文件", path)
	}
	if st.Size() > MaxAttachmentSize {
		return "", "", 0, fieldErr("file", "附件文件“%s”太大：最大 1 GB", filepath.Base(path))
	}
	if err := os.MkdirAll(s.AttachmentsDir(), 0o700); err != nil {
		return "", "", 0, fmt.Errorf("attachments dir: %w", err)
	}
	tmp, err := os.CreateTemp(s.AttachmentsDir(), "incoming-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("stage attachment: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", "", 0, fieldErr("file", "读取附件文件“%s”时出错：%v", filepath.Base(path), err)
	}
	return tmp.Name(), hex.EncodeToString(h.Sum(nil)), n, nil
}

// AddAttachment stores the file at path for an item. Identical content is
// stored once. Audited; the item must be in the user's scope.
func (s *Store) AddAttachment(ctx context.Context, actor *User, itemID int64, path string) (*Attachment, error) {
	tmp, hash, size, err := s.stageFile(path)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp) // gone already when it was moved into place
	name := filepath.Base(path)
	var id int64
	err = s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		it, err := liveItemInScope(ctx, tx, sc, itemID, "添加附件")
		if err != nil {
			return err
		}
		// Inside the write transaction no removal can race with us.
		dst := s.blobPath(hash)
		if _, err := os.Stat(dst); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
				return err
			}
			if err := os.Rename(tmp, dst); err != nil {
				return fmt.Errorf("store attachment: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO archive_attachments (item_id, sha256, name, size, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, itemID, hash, name, size, a.ID, s.nowText())
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		id, _ = res.LastInsertId()
		return s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityItem, EntityID: it.Code, Action: ActionAttach,
			Summary: "添加附件 " + name + "（" + FormatSize(size) + "）",
			Changes: []Change{{Field: "附件", New: name}},
		})
	})
	if err != nil {
		s.removeBlobIfUnused(ctx, hash)
		return nil, err
	}
	return &Attachment{ID: id, ItemID: itemID, SHA256: hash, Name: name, Size: size, CreatedAt: s.now()}, nil
}

// removeBlobIfUnused deletes the stored file of hash when no row uses it.
func (s *Store) removeBlobIfUnused(ctx context.Context, hash string) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM archive_attachments WHERE sha256 = ?`, hash).Scan(&n); err == nil && n == 0 {
		os.Remove(s.blobPath(hash))
	}
}

// RemoveAttachment deletes an attachment row; the stored file goes too when
// no other attachment has the same content. Audited.
func (s *Store) RemoveAttachment(ctx context.Context, actor *User, id int64) error {
	var hash string
	err := s.mutate(ctx, actor, func(tx *sql.Tx, a *User, sc Scope) error {
		var itemID, size int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT item_id, sha256, name, size FROM archive_attachments WHERE id = ?`, id).
			Scan(&itemID, &hash, &name, &size)
		if err != nil {
			return notFound(err, "附件不存在（可能已被删除）")
		}
		it, err := itemInScope(ctx, tx, sc, itemID, "删除附件")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM archive_attachments WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete attachment: %w", err)
		}
		if err := s.writeAudit(ctx, tx, a, "", auditRecord{
			Entity: EntityItem, EntityID: it.Code, Action: ActionDetach,
			Summary: "删除附件 " + name + "（" + FormatSize(size) + "）",
			Changes: []Change{{Field: "附件", Old: name}},
		}); err != nil {
			return err
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM archive_attachments WHERE sha256 = ?`, hash).Scan(&others); err != nil {
			return err
		}
		if others == 0 {
			// Still inside the write transaction: no add of the same content
			// can slip in between the count and the removal.
			if err := os.Remove(s.blobPath(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove attachment file: %w", err)
			}
		}
		return nil
	})
	return err
}
