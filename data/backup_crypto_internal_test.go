package data

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func encrypt(t *testing.T, key, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	e, err := newEncWriter(&out, key)
	if err != nil {
		t.Fatal(err)
	}
	for p := plain; len(p) > 0; { // odd write sizes cross chunk boundaries
		k := min(len(p), 300_001)
		e.Write(p[:k])
		p = p[k:]
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestChunkedEncryption(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	full := encChunk + 16
	for _, n := range []int{0, 1, encChunk - 1, encChunk, encChunk + 1, 3 * encChunk} {
		plain := make([]byte, n)
		rand.Read(plain)
		ct := encrypt(t, key, plain)
		var got bytes.Buffer
		if err := decryptTo(&got, bytes.NewReader(ct), key); err != nil || !bytes.Equal(got.Bytes(), plain) {
			t.Fatalf("size %d: round trip failed: %v", n, err)
		}
		if len(ct) > full {
			// Dropping the last chunk, or swapping the first two, must fail.
			cut := ct[:len(ct)/full*full]
			if len(cut) == len(ct) {
				cut = ct[:len(ct)-full]
			}
			if err := decryptTo(&got, bytes.NewReader(cut), key); err != errDamagedPayload {
				t.Fatalf("size %d: dropped chunk accepted: %v", n, err)
			}
		}
		if len(ct) >= 2*full {
			sw := append(append(append([]byte(nil), ct[full:2*full]...), ct[:full]...), ct[2*full:]...)
			if err := decryptTo(&got, bytes.NewReader(sw), key); err != errDamagedPayload {
				t.Fatalf("size %d: swapped chunks accepted: %v", n, err)
			}
		}
	}
}
