package main

import (
	"fmt"
	"net/http"

	"github.com/go-ldap/ldap/v3"
)

var conn *ldap.Conn

func login(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("username")
	req := ldap.NewSearchRequest(
		"ou=people,dc=bank,dc=example",
		ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		// ruleid: go.ldap-injection
		fmt.Sprintf("(&(objectClass=person)(uid=%s))", user),
		[]string{"dn"},
		nil,
	)
	conn.Search(req)
}

func directory(w http.ResponseWriter, r *http.Request) {
	req := &ldap.SearchRequest{
		BaseDN: "dc=bank,dc=example",
		Scope:  ldap.ScopeWholeSubtree,
		// ruleid: go.ldap-injection
		Filter:     "(cn=" + r.URL.Query().Get("name") + ")",
		Attributes: []string{"cn", "mail"},
	}
	conn.Search(req)
}

func bindUser(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ldap-injection
	err := conn.Bind("uid="+r.FormValue("username")+",ou=people,dc=bank,dc=example", r.FormValue("password"))
	if err != nil {
		http.Error(w, "denied", http.StatusUnauthorized)
	}
}

func safeLogin(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("username")
	req := ldap.NewSearchRequest(
		"ou=people,dc=bank,dc=example",
		ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		// ok: go.ldap-injection
		fmt.Sprintf("(&(objectClass=person)(uid=%s))", ldap.EscapeFilter(user)),
		[]string{"dn"},
		nil,
	)
	conn.Search(req)
}

func safeBind(w http.ResponseWriter, r *http.Request) {
	// ok: go.ldap-injection
	err := conn.Bind("uid="+ldap.EscapeDN(r.FormValue("username"))+",ou=people,dc=bank,dc=example", r.FormValue("password"))
	if err != nil {
		http.Error(w, "denied", http.StatusUnauthorized)
	}
}

func safeDirectory(w http.ResponseWriter, r *http.Request) {
	req := &ldap.SearchRequest{
		BaseDN: "dc=bank,dc=example",
		// ok: go.ldap-injection
		Filter:    "(objectClass=person)",
		SizeLimit: 50,
	}
	conn.Search(req)
	_ = r
}
