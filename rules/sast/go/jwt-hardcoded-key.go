package main

import (
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var signingKey = []byte("bank-portal-jwt-signing-key")

func issue(userID string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "exp": time.Now().Add(time.Hour).Unix()})
	// ruleid: go.jwt-hardcoded-key
	return token.SignedString([]byte("sup3r-s3cret"))
}

func issueAdmin(userID string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "role": "admin"})
	// ruleid: go.jwt-hardcoded-key
	return token.SignedString(signingKey)
}

func parse(raw string) (*jwt.Token, error) {
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		// ruleid: go.jwt-hardcoded-key
		return []byte("sup3r-s3cret"), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

func safeIssue(userID string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID})
	// ok: go.jwt-hardcoded-key
	return token.SignedString([]byte(os.Getenv("JWT_SIGNING_KEY")))
}

func safeParse(raw string, key []byte) (*jwt.Token, error) {
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		// ok: go.jwt-hardcoded-key
		return key, nil
	}, jwt.WithValidMethods([]string{"HS256"}))
}

func safeRSA(claims jwt.MapClaims, privateKey interface{}) (string, error) {
	// ok: go.jwt-hardcoded-key
	return jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(privateKey)
}
