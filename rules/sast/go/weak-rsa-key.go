package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
)

func signingKey() (*rsa.PrivateKey, error) {
	// ruleid: go.weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 1024)
}

func testKey() *rsa.PrivateKey {
	// ruleid: go.weak-rsa-key
	k, _ := rsa.GenerateKey(rand.Reader, 512)
	return k
}

func multiPrime() (*rsa.PrivateKey, error) {
	// ruleid: go.weak-rsa-key
	return rsa.GenerateMultiPrimeKey(rand.Reader, 3, 1536)
}

func safeSigningKey() (*rsa.PrivateKey, error) {
	// ok: go.weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 3072)
}

func safeDefault() (*rsa.PrivateKey, error) {
	// ok: go.weak-rsa-key
	return rsa.GenerateKey(rand.Reader, 2048)
}

func safeEC() (*ecdsa.PrivateKey, error) {
	// ok: go.weak-rsa-key
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}
