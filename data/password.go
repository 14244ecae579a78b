package data

import (
	"crypto/rand"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// bcryptCost is the work factor of stored password hashes.
const bcryptCost = 10

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// ValidatePassword checks a new password against the policy: at least
// MinPasswordLen characters, letters and digits, not the user name.
func ValidatePassword(username, pw string) error {
	switch {
	case pw == "":
		return fieldErr("password", "密码不能为空")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return fieldErr("password", "密码太短：至少 %d 位", MinPasswordLen)
	case len(pw) > 72:
		return fieldErr("password", "密码太长：最多 72 个字节")
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(username)):
		return fieldErr("password", "密码不能与用户名相同")
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsLetter(r):
			letter = true
		}
	}
	if !letter || !digit {
		return fieldErr("password", "密码太弱：须同时包含字母和数字")
	}
	return nil
}

func hashPassword(pw string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
	return string(b), err
}

func checkPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// dummyHash is compared against when the user does not exist, so that a
// wrong user name takes as long as a wrong password. It is made on first
// use, not at start-up.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("dangan-no-such-user-1")
	return h
})

// GeneratePassword returns a random temporary password that satisfies the
// policy and avoids characters easily confused when read aloud (0/O, 1/l).
func GeneratePassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	const n = 10
	b := make([]byte, n)
	rnd := make([]byte, n)
	if _, err := rand.Read(rnd); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		if i%3 == 2 {
			b[i] = digits[int(rnd[i])%len(digits)]
		} else {
			b[i] = letters[int(rnd[i])%len(letters)]
		}
	}
	return string(b)
}
