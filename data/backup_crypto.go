package data

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"golang.org/x/crypto/scrypt"
)

// An encrypted backup is a zip with two members: manifest.json, which says
// only that the file is encrypted and how the key is derived, and
// payload.bin, the plain backup zip encrypted in chunks:
//
//	key   = scrypt(password, salt, N, r, p, 32)
//	chunk = AES-256-GCM(key, nonce, plaintext[i*encChunk : (i+1)*encChunk])
//	nonce = 8-byte big-endian chunk index ‖ 3 zero bytes ‖ 1 if last chunk else 0
//
// Each chunk is encChunk bytes of plaintext plus a 16-byte tag, the last one
// shorter or even empty. The index in the nonce stops chunks from being
// reordered or dropped; the last-chunk flag stops truncation at a chunk
// boundary. The key check value lets a wrong password be told apart from a
// damaged file without decrypting anything.

const encChunk = 1 << 20

// kdfParams are the scrypt parameters and salt recorded in an encrypted
// backup's manifest, plus a check value of the derived key.
type kdfParams struct {
	Name     string `json:"name"` // "scrypt"
	N        int    `json:"n"`
	R        int    `json:"r"`
	P        int    `json:"p"`
	Salt     []byte `json:"salt"`
	KeyCheck []byte `json:"key_check"`
}

// scryptN is the scrypt cost: 2^17 takes about 0.3 s and 128 MB. Tests
// lower it.
var scryptN = 1 << 17

// newKDF derives a fresh key for password and returns it with the
// parameters to store.
func newKDF(password string) ([]byte, *kdfParams, error) {
	p := &kdfParams{Name: "scrypt", N: scryptN, R: 8, P: 1, Salt: make([]byte, 16)}
	if _, err := rand.Read(p.Salt); err != nil {
		return nil, nil, err
	}
	key, err := scrypt.Key([]byte(password), p.Salt, p.N, p.R, p.P, 32)
	if err != nil {
		return nil, nil, fmt.Errorf("derive key: %w", err)
	}
	p.KeyCheck = keyCheck(key)
	return key, p, nil
}

// deriveKey rederives the key from a manifest's parameters and checks the
// password. Parameters are bounded so a crafted file cannot make scrypt
// take gigabytes.
func (p *kdfParams) deriveKey(password string) ([]byte, error) {
	if p == nil || p.Name != "scrypt" || p.N < 2 || p.N > 1<<20 || p.N&(p.N-1) != 0 ||
		p.R < 1 || p.R > 16 || p.P < 1 || p.P > 4 || len(p.Salt) < 8 || len(p.KeyCheck) != 16 {
		return nil, Errorf(EINVALID, "备份文件的加密参数无效：文件已损坏或不是档案通的备份。")
	}
	if password == "" {
		return nil, ErrBackupPassword
	}
	key, err := scrypt.Key([]byte(password), p.Salt, p.N, p.R, p.P, 32)
	if err != nil {
		return nil, fmt.Errorf("derive key: %w", err)
	}
	if subtle.ConstantTimeCompare(keyCheck(key), p.KeyCheck) != 1 {
		return nil, ErrWrongBackupPassword
	}
	return key, nil
}

// ErrBackupPassword says an encrypted backup needs its password.
var ErrBackupPassword = Errorf(EINVALID, "这个备份文件已加密，请输入备份密码。")

// ErrWrongBackupPassword says the password does not open the backup.
var ErrWrongBackupPassword = Errorf(EINVALID, "备份密码不正确。")

func keyCheck(key []byte) []byte {
	h := sha256.Sum256(append([]byte("dangan backup key check\x00"), key...))
	return h[:16]
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func chunkNonce(i uint64, last bool) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n, i)
	if last {
		n[11] = 1
	}
	return n
}

// encWriter encrypts what is written to it in chunks; Close writes the last
// chunk (possibly empty) and must be called. Sealing and writing run in a
// goroutine of their own, so encryption overlaps the reading and hashing.
type encWriter struct {
	w      io.Writer
	aead   cipher.AEAD
	buf    []byte
	i      uint64
	free   chan []byte
	work   chan encJob
	done   chan struct{}
	closed bool
	failed atomic.Bool
	err    error // the sealer's first error; read after done
}

type encJob struct {
	b    []byte
	i    uint64
	last bool
}

func newEncWriter(w io.Writer, key []byte) (*encWriter, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	e := &encWriter{w: w, aead: aead, free: make(chan []byte, 2), work: make(chan encJob, 1), done: make(chan struct{})}
	for range cap(e.free) {
		e.free <- make([]byte, 0, encChunk)
	}
	e.buf = <-e.free
	go e.seal()
	return e, nil
}

func (e *encWriter) seal() {
	out := make([]byte, 0, encChunk+16)
	for j := range e.work {
		if e.err == nil {
			out = e.aead.Seal(out[:0], chunkNonce(j.i, j.last), j.b, nil)
			if _, err := e.w.Write(out); err != nil {
				e.err = err
				e.failed.Store(true)
			}
		}
		e.free <- j.b[:0]
	}
	close(e.done)
}

func (e *encWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if len(e.buf) == encChunk {
			// Only now do we know the full chunk is not the last one.
			if e.failed.Load() {
				return n, errors.New("encrypted write failed")
			}
			e.work <- encJob{e.buf, e.i, false}
			e.i++
			e.buf = <-e.free
		}
		k := copy(e.buf[len(e.buf):encChunk], p)
		e.buf = e.buf[:len(e.buf)+k]
		p, n = p[k:], n+k
	}
	return n, nil
}

// Close seals the last chunk and waits for everything to be written. It
// may be called again (to stop the goroutine after an error).
func (e *encWriter) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	e.work <- encJob{e.buf, e.i, true}
	close(e.work)
	<-e.done
	return e.err
}

// errDamagedPayload reports a chunk that does not authenticate.
var errDamagedPayload = Errorf(EINVALID, "备份文件已损坏：加密内容校验失败（文件可能被截断或改动过）。")

// decryptTo decrypts an encrypted payload from r into w.
func decryptTo(w io.Writer, r io.Reader, key []byte) error {
	aead, err := newGCM(key)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, encChunk+16)
	buf := make([]byte, encChunk+16)
	var plain []byte
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(br, buf)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return err
		}
		last := n < len(buf)
		if !last {
			if _, perr := br.Peek(1); errors.Is(perr, io.EOF) {
				last = true
			}
		}
		plain, err = aead.Open(plain[:0], chunkNonce(i, last), buf[:n], nil)
		if err != nil {
			return errDamagedPayload
		}
		if _, err := w.Write(plain); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}
