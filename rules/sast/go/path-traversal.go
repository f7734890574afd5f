package main

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const statementsDir = "/srv/statements"

func statement(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go.path-traversal
	data, err := os.ReadFile(filepath.Join(statementsDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func download(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.path-traversal
	http.ServeFile(w, r, filepath.Join(statementsDir, r.FormValue("file")))
}

func upload(c *gin.Context) {
	dst := filepath.Clean(filepath.Join("/srv/uploads", c.PostForm("name")))
	// ruleid: go.path-traversal
	f, err := os.Create(dst)
	if err != nil {
		c.Status(http.StatusInternalServerError)
		return
	}
	defer f.Close()
}

func exportFile(c *gin.Context) {
	// ruleid: go.path-traversal
	c.File("/srv/exports/" + c.Query("id") + ".csv")
}

func safeStatement(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	// ok: go.path-traversal
	data, err := os.ReadFile(filepath.Join(statementsDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func safeDownload(w http.ResponseWriter, r *http.Request) {
	// ok: go.path-traversal
	http.ServeFile(w, r, filepath.Join(statementsDir, filepath.Clean("/"+r.FormValue("file"))))
}

func safeUpload(c *gin.Context) {
	// ok: go.path-traversal
	f, err := os.CreateTemp("/srv/uploads", "upload-*")
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.WriteString(c.PostForm("content"))
}

func safeRoot(w http.ResponseWriter, r *http.Request) {
	// ok: go.path-traversal
	f, err := os.OpenInRoot(statementsDir, r.URL.Query().Get("name"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
}
