package main

import (
	"net/http"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	gsessions "github.com/gorilla/sessions"
)

var store *gsessions.CookieStore

func switchAccount(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	// ruleid: go.session-trust-boundary
	session.Values["account_id"] = r.FormValue("account")
	session.Save(r, w)
}

func setRole(w http.ResponseWriter, r *http.Request) {
	role := r.URL.Query().Get("role")
	session, _ := store.Get(r, "sid")
	// ruleid: go.session-trust-boundary
	session.Values["role"] = role
	session.Save(r, w)
}

func ginMFA(c *gin.Context) {
	session := sessions.Default(c)
	// ruleid: go.session-trust-boundary
	session.Set("mfa_verified", c.PostForm("verified"))
	session.Save()
}

func safeLogin(w http.ResponseWriter, r *http.Request) {
	user, err := authenticate(r.FormValue("username"), r.FormValue("password"))
	if err != nil {
		http.Error(w, "denied", http.StatusUnauthorized)
		return
	}
	session, _ := store.Get(r, "sid")
	// ok: go.session-trust-boundary
	session.Values["user_id"] = user.ID
	session.Save(r, w)
}

func safeVisits(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	visits, _ := session.Values["visits"].(int)
	// ok: go.session-trust-boundary
	session.Values["visits"] = visits + 1
	session.Save(r, w)
}

func safeHeader(w http.ResponseWriter, r *http.Request) {
	// ok: go.session-trust-boundary
	w.Header().Set("X-Request-Id", r.Header.Get("X-Request-Id"))
}

type User struct{ ID int }

func authenticate(username, password string) (*User, error) { return &User{ID: 1}, nil }
