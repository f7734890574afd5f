package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

type Server struct{}

// ruleid: go-method
func (s *Server) Handle(name string) {
	// ruleid: go-exec
	exec.Command(name, "-l")
	// ruleid: go-exec
	exec.Command("ls")
	// ok: go-exec
	exec.LookPath(name)
}

// ok: go-method
func helper() {}

func query(db *DB, id string) {
	// ruleid: go-sprintf-query
	db.Query(fmt.Sprintf("select * from t where id = %s", id))
	// ok: go-sprintf-query
	db.Query("select 1")
	// ruleid: go-tls
	_ = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	// ok: go-tls
	_ = &tls.Config{MinVersion: tls.VersionTLS12}
}

func files(p string) {
	// ruleid: go-defer-sequence
	f, err := os.Open(p)
	if err != nil {
		return
	}
	defer f.Close()
	// ruleid: go-err-ignored
	n, _ := strconv.Atoi(p)
	// ok: go-err-ignored
	m, _ := fmt.Println(p)
	fmt.Println(n, m)
}
