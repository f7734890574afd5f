package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/gin-gonic/gin"
)

var users *xmlquery.Node

func userEmail(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go.xpath-injection
	node := xmlquery.FindOne(users, "//user[name='"+name+"']/email")
	if node != nil {
		w.Write([]byte(node.InnerText()))
	}
}

func login(c *gin.Context) {
	expr := fmt.Sprintf("//user[name='%s' and password='%s']", c.PostForm("user"), c.PostForm("password"))
	// ruleid: go.xpath-injection
	nodes := xmlquery.Find(users, expr)
	c.JSON(http.StatusOK, gin.H{"ok": len(nodes) == 1})
}

func compiled(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.xpath-injection
	e, err := xpath.Compile("count(//account[@branch='" + r.FormValue("branch") + "'])")
	if err != nil {
		return
	}
	_ = e
}

func safeUserEmail(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ok: go.xpath-injection
	for _, n := range xmlquery.Find(users, "//user") {
		if n.SelectElement("name").InnerText() == name {
			w.Write([]byte(n.SelectElement("email").InnerText()))
		}
	}
}

func safeIndex(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.FormValue("i"))
	if err != nil {
		return
	}
	// ok: go.xpath-injection
	node := xmlquery.FindOne(users, fmt.Sprintf("//user[%d]/name", i))
	_ = node
}

func safeCompiled(w http.ResponseWriter, r *http.Request) {
	// ok: go.xpath-injection
	e := xpath.MustCompile("count(//account)")
	_ = e
	_ = r
}
