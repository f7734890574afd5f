package main

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

func login(w http.ResponseWriter, r *http.Request, sid string) {
	// ruleid: go.cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/"})
}

func remember(w http.ResponseWriter, token string) {
	// ruleid: go.cookie-missing-flags
	c := &http.Cookie{
		Name:     "remember_me",
		Value:    token,
		HttpOnly: true,
		Expires:  time.Now().Add(30 * 24 * time.Hour),
	}
	http.SetCookie(w, c)
}

func ginLogin(c *gin.Context, sid string) {
	// ruleid: go.cookie-missing-flags
	c.SetCookie("sid", sid, 900, "/", "bank.example", false, true)
}

func safeLogin(w http.ResponseWriter, r *http.Request, sid string) {
	// ok: go.cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func safeLogout(w http.ResponseWriter) {
	// ok: go.cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: "", Path: "/", MaxAge: -1})
}

func safeGinLogin(c *gin.Context, sid string) {
	c.SetSameSite(http.SameSiteLaxMode)
	// ok: go.cookie-missing-flags
	c.SetCookie("sid", sid, 900, "/", "bank.example", true, true)
}
