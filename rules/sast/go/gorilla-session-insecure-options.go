package main

import (
	"net/http"
	"os"

	"github.com/gorilla/sessions"
)

var store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))

func init() {
	// ruleid: go.gorilla-session-insecure-options
	store.Options = &sessions.Options{Path: "/", MaxAge: 900, HttpOnly: true}
}

func login(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	// ruleid: go.gorilla-session-insecure-options
	session.Options = &sessions.Options{Path: "/", MaxAge: 900, Secure: true}
	session.Save(r, w)
}

func remember(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	// ruleid: go.gorilla-session-insecure-options
	session.Options = &sessions.Options{Path: "/", MaxAge: 86400 * 30}
	session.Save(r, w)
}

func safeInit() {
	// ok: go.gorilla-session-insecure-options
	store.Options = &sessions.Options{Path: "/", MaxAge: 900, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}
}

func safeLogout(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	// ok: go.gorilla-session-insecure-options
	session.Options = &sessions.Options{Path: "/", MaxAge: -1}
	session.Save(r, w)
}

func safeLogin(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "sid")
	// ok: go.gorilla-session-insecure-options
	session.Options = &sessions.Options{HttpOnly: true, Secure: true, Path: "/", MaxAge: 900}
	session.Save(r, w)
}
