package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rand"
	"crypto/rc4"

	"golang.org/x/crypto/blowfish"
	"golang.org/x/crypto/chacha20poly1305"
)

func encryptPIN(key, pinBlock []byte) ([]byte, error) {
	// ruleid: go.weak-cipher
	block, err := des.NewTripleDESCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(pinBlock))
	block.Encrypt(out, pinBlock)
	return out, nil
}

func obfuscate(key, data []byte) []byte {
	// ruleid: go.weak-cipher
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func legacy(key []byte) cipher.Block {
	// ruleid: go.weak-cipher
	b, _ := blowfish.NewCipher(key)
	return b
}

func safeEncrypt(key, plaintext []byte) ([]byte, error) {
	// ok: go.weak-cipher
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	return gcm.Seal(nonce, nonce, plaintext, nil), nil
}

func safeChaCha(key, plaintext []byte) ([]byte, error) {
	// ok: go.weak-cipher
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plaintext, nil), nil
}

func safeBlock(key []byte) (cipher.Block, error) {
	// ok: go.weak-cipher
	return aes.NewCipher(key)
}
