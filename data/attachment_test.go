package data_test

import (
	"os"
	"path/filepath"
	"testing"

	"dangan/data"
)

func TestAttachmentsDedupAndRemoval(t *testing.T) {
	f := mustArchive(t)
	a := f.mustItem(t, f.input("营业执照"))
	b := f.mustItem(t, f.input("营业执照副本"))
	dir := t.TempDir()
	scan := filepath.Join(dir, "营业执照扫描件.pdf")
	if err := os.WriteFile(scan, []byte("%PDF-1.4 same bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	copyOf := filepath.Join(dir, "副本.pdf")
	os.WriteFile(copyOf, []byte("%PDF-1.4 same bytes"), 0o600)

	t.Run("ErrMissingFile", func(t *testing.T) {
		before := auditCount(t, f.s)
		_, err := f.s.AddAttachment(ctx, f.op, a.ID, filepath.Join(dir, "不存在.pdf"))
		wantErr(t, err, data.EINVALID, "找不到附件文件")
		if auditCount(t, f.s) != before {
			t.Fatal("audited a missing file")
		}
	})

	x, err := f.s.AddAttachment(ctx, f.op, a.ID, scan)
	if err != nil {
		t.Fatal(err)
	}
	y, err := f.s.AddAttachment(ctx, f.op, b.ID, copyOf)
	if err != nil {
		t.Fatal(err)
	}
	if x.SHA256 != y.SHA256 || x.Name != "营业执照扫描件.pdf" || x.Size != 19 {
		t.Fatalf("attachments %+v %+v", x, y)
	}
	blob := f.s.AttachmentPath(*x)
	if filepath.Dir(filepath.Dir(blob)) != f.s.AttachmentsDir() || filepath.Base(filepath.Dir(blob)) != x.SHA256[:2] {
		t.Fatalf("stored at %s", blob)
	}
	// Stored once: one blob, no leftover temp files.
	var files []string
	filepath.Walk(f.s.AttachmentsDir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 {
		t.Fatalf("files in store: %v", files)
	}
	got, _ := f.s.ItemByID(ctx, f.admin, a.ID)
	if got.Attachments != 1 || got.AttachmentBytes != 19 {
		t.Fatalf("item shows %d attachments, %d bytes", got.Attachments, got.AttachmentBytes)
	}
	// An item with attachments is not deleted.
	err = f.s.DeleteItem(ctx, f.admin, a.ID)
	wantErr(t, err, data.ECONFLICT, "请先删除附件")

	// Removing one keeps the file for the other; removing both deletes it.
	before := auditCount(t, f.s)
	if err := f.s.RemoveAttachment(ctx, f.op, x.ID); err != nil {
		t.Fatal(err)
	}
	if auditCount(t, f.s) != before+1 {
		t.Fatal("removal not audited")
	}
	if _, err := os.Stat(blob); err != nil {
		t.Fatal("file removed while another attachment uses it")
	}
	if err := f.s.RemoveAttachment(ctx, f.op, y.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(blob); !os.IsNotExist(err) {
		t.Fatal("file kept after its last attachment was removed")
	}
	err = f.s.RemoveAttachment(ctx, f.op, y.ID)
	wantErr(t, err, data.ENOTFOUND, "附件不存在")
	list, _ := f.s.FindAttachments(ctx, f.admin, a.ID)
	if len(list) != 0 {
		t.Fatalf("attachments left: %v", list)
	}
}

func TestAttachmentScope(t *testing.T) {
	f := mustArchive(t)
	in := f.input("财务部合同")
	in.DeptID = f.other.ID
	theirs := f.mustItem(t, in)
	p := filepath.Join(t.TempDir(), "a.png")
	os.WriteFile(p, []byte("png"), 0o600)
	_, err := f.s.AddAttachment(ctx, f.op, theirs.ID, p)
	wantErr(t, err, data.EFORBIDDEN, "不属于您的部门")
	if entries, _ := os.ReadDir(filepath.Join(f.s.AttachmentsDir())); len(entries) != 0 {
		t.Fatalf("refused add left files: %v", entries)
	}
}
