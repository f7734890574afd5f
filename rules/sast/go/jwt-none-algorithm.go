package main

import (
	"github.com/golang-jwt/jwt/v5"
)

func issueTestToken(sub string) (string, error) {
	// ruleid: go.jwt-none-algorithm
	token := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": sub})
	// ruleid: go.jwt-none-algorithm
	return token.SignedString(jwt.UnsafeAllowNoneSignatureType)
}

func lenientParse(raw string, key []byte) (*jwt.Token, error) {
	// ruleid: go.jwt-none-algorithm
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256", "none"}))
	return parser.Parse(raw, func(t *jwt.Token) (interface{}, error) { return key, nil })
}

func safeIssue(sub string, key []byte) (string, error) {
	// ok: go.jwt-none-algorithm
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub})
	return token.SignedString(key)
}

func safeParse(raw string, key []byte) (*jwt.Token, error) {
	// ok: go.jwt-none-algorithm
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}))
	return parser.Parse(raw, func(t *jwt.Token) (interface{}, error) { return key, nil })
}

func safeES(claims jwt.MapClaims, key interface{}) (string, error) {
	// ok: go.jwt-none-algorithm
	return jwt.NewWithClaims(jwt.SigningMethodES256, claims).SignedString(key)
}
