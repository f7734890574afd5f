package main

import (
	"net/http"
	"os/exec"
	"strconv"
)

func handler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	args := []string{"-l", name}
	// ruleid: go-taint-http
	exec.Command("ls", args...)
	var dir string
	dir = r.FormValue("dir")
	// ruleid: go-taint-http
	exec.Command("ls", dir)
	n, _ := strconv.Atoi(r.FormValue("n"))
	// ok: go-taint-http
	exec.Command("sleep", strconv.Itoa(n))
	// ok: go-taint-http
	exec.Command("ls", "/tmp")
}
