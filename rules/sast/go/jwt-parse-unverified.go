package main

import (
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

func currentUser(r *http.Request) string {
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	claims := jwt.MapClaims{}
	// ruleid: go.jwt-parse-unverified
	_, _, err := jwt.NewParser().ParseUnverified(raw, claims)
	if err != nil {
		return ""
	}
	sub, _ := claims.GetSubject()
	return sub
}

func isAdmin(raw string) bool {
	parser := new(jwt.Parser)
	// ruleid: go.jwt-parse-unverified
	token, _, err := parser.ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		return false
	}
	return token.Claims.(jwt.MapClaims)["role"] == "admin"
}

func tenant(raw string) string {
	var p jwt.Parser
	// ruleid: go.jwt-parse-unverified
	tok, _, _ := p.ParseUnverified(raw, &jwt.RegisteredClaims{})
	iss, _ := tok.Claims.GetIssuer()
	return iss
}

func safeCurrentUser(r *http.Request, key []byte) string {
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	// ok: go.jwt-parse-unverified
	token, err := jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil || !token.Valid {
		return ""
	}
	sub, _ := token.Claims.GetSubject()
	return sub
}

func safeClaims(raw string, key []byte) (*jwt.RegisteredClaims, error) {
	claims := &jwt.RegisteredClaims{}
	// ok: go.jwt-parse-unverified
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (interface{}, error) { return key, nil })
	return claims, err
}

func safeParser(raw string, key []byte) (*jwt.Token, error) {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
	// ok: go.jwt-parse-unverified
	return parser.Parse(raw, func(t *jwt.Token) (interface{}, error) { return key, nil })
}
