package data

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
)

// writePlainBackup writes the backup zip to w, fills m.Members and, just
// before writing the manifest, the rest of m with fill.
func writePlainBackup(ctx context.Context, w io.Writer, m *Manifest, fill func(*Manifest) error, snap, attDir string, files []attachment) error {
	zw := zip.NewWriter(w)
	m.Members = m.Members[:0]
	c := newCopier()
	add := func(name, path string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return Errorf(EINVALID, "无法读取 %s：%v", path, err)
		}
		defer f.Close()
		mw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: m.CreatedAt})
		if err != nil {
			return err
		}
		n, sum, err := c.copyHashed(mw, f)
		if err != nil {
			return err
		}
		m.Members = append(m.Members, Member{Name: name, Size: n, SHA256: sum})
		return nil
	}
	if err := add(snapshotName, snap); err != nil {
		return err
	}
	for _, a := range files {
		if err := add(attachPrefix+a.rel, filepath.Join(attDir, filepath.FromSlash(a.rel))); err != nil {
			return err
		}
	}
	if err := fill(m); err != nil {
		return err
	}
	if err := writeManifest(zw, m); err != nil {
		return err
	}
	return zw.Close()
}

// copier copies files in 1 MB blocks while another goroutine computes
// their SHA-256, so hashing overlaps the reads and writes.
type copier struct{ free chan []byte }

func newCopier() *copier {
	c := &copier{free: make(chan []byte, 3)}
	for range cap(c.free) {
		c.free <- make([]byte, 1<<20)
	}
	return c
}

// copyHashed copies src to dst and returns the size and SHA-256 of what it
// copied. A block goes back to the free list only once hashed; dst has
// finished with it by then because writes are synchronous.
func (c *copier) copyHashed(dst io.Writer, src io.Reader) (int64, string, error) {
	h := sha256.New()
	work := make(chan []byte, cap(c.free))
	hashed := make(chan struct{})
	go func() {
		for b := range work {
			h.Write(b)
			c.free <- b[:cap(b)]
		}
		close(hashed)
	}()
	var n int64
	var err error
	for {
		buf := <-c.free
		k, rerr := io.ReadFull(src, buf)
		if k > 0 {
			work <- buf[:k]
			if _, err = dst.Write(buf[:k]); err != nil {
				break
			}
			n += int64(k)
		} else {
			c.free <- buf
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	close(work)
	<-hashed
	return n, hexSum(h), err
}

func writeManifest(zw *zip.Writer, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: manifestName, Method: zip.Store, Modified: m.CreatedAt})
	if err != nil {
		return err
	}
	_, err = mw.Write(b)
	return err
}

// writeEncryptedBackup streams the plain backup zip through the chunked
// cipher into the payload member of an outer zip; nothing is held in memory
// beyond one chunk.
func writeEncryptedBackup(ctx context.Context, w io.Writer, m *Manifest, fill func(*Manifest) error, snap, attDir string, files []attachment, key []byte, kdf *kdfParams) error {
	zw := zip.NewWriter(w)
	pw, err := zw.CreateHeader(&zip.FileHeader{Name: payloadName, Method: zip.Store, Modified: m.CreatedAt})
	if err != nil {
		return err
	}
	enc, err := newEncWriter(pw, key)
	if err != nil {
		return err
	}
	defer enc.Close() // stops its goroutine when the backup fails half way
	if err := writePlainBackup(ctx, enc, m, fill, snap, attDir, files); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	m.Encrypted = true
	outer := &Manifest{Format: backupFormat, FormatVersion: backupFormatVersion, Encrypted: true, KDF: kdf,
		CreatedAt: m.CreatedAt, InstallID: m.InstallID, Auto: m.Auto}
	if err := writeManifest(zw, outer); err != nil {
		return err
	}
	return zw.Close()
}
