package main

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

func loginDone(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func logout(c *gin.Context) {
	// ruleid: go.open-redirect
	c.Redirect(http.StatusFound, c.DefaultQuery("returnTo", "/"))
}

func sso(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.open-redirect
	w.Header().Set("Location", "https://"+r.FormValue("idp")+"/authorize")
	w.WriteHeader(http.StatusFound)
}

func safeAccount(w http.ResponseWriter, r *http.Request) {
	// ok: go.open-redirect
	http.Redirect(w, r, "/accounts/"+url.PathEscape(r.FormValue("id")), http.StatusFound)
}

func safeStatement(c *gin.Context) {
	// ok: go.open-redirect
	c.Redirect(http.StatusFound, fmt.Sprintf("/statements/%s", c.Param("year")))
}

var destinations = map[string]string{"home": "/", "profile": "/profile"}

func safeMenu(w http.ResponseWriter, r *http.Request) {
	// ok: go.open-redirect
	http.Redirect(w, r, destinations["home"], http.StatusSeeOther)
}
