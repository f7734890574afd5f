package main

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"io"

	"golang.org/x/crypto/bcrypt"
)

func passwordDigest(password, salt string) string {
	// ruleid: go.weak-hash
	sum := md5.Sum([]byte(salt + password))
	return hex.EncodeToString(sum[:])
}

func documentFingerprint(r io.Reader) string {
	// ruleid: go.weak-hash
	h := sha1.New()
	io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil))
}

func tokenHash(token string) string {
	// ruleid: go.weak-hash
	return hex.EncodeToString(sha1.Sum([]byte(token))[:])
}

func safeDigest(data []byte) string {
	// ok: go.weak-hash
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func safePassword(password string) ([]byte, error) {
	// ok: go.weak-hash
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
}

func safeMAC(key, msg []byte) []byte {
	// ok: go.weak-hash
	mac := hmac.New(sha256.New, key)
	mac.Write(msg)
	return mac.Sum(nil)
}
