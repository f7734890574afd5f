package main

import (
	"bytes"
	"net/http"
	"text/template"
)

var page = template.Must(template.New("page").Parse(`<h1>Hello {{.Name}}</h1>`))
var mail = template.Must(template.New("mail").Parse("Dear {{.Name}},\nYour statement is ready.\n"))

type view struct{ Name string }

func greet(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.text-template-html
	page.Execute(w, view{Name: r.FormValue("name")})
}

type Server struct{ tmpl *template.Template }

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.text-template-html
	s.tmpl.ExecuteTemplate(w, "profile.html", view{Name: r.URL.Query().Get("name")})
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		// ruleid: go.text-template-html
		page.Execute(w, view{Name: r.PathValue("name")})
	})
}

func statementMail(name string) string {
	var buf bytes.Buffer
	// ok: go.text-template-html
	mail.Execute(&buf, view{Name: name})
	return buf.String()
}

func sendStatement(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	// ok: go.text-template-html
	mail.Execute(&buf, view{Name: r.FormValue("name")})
	w.WriteHeader(http.StatusAccepted)
}

func plain(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	// ok: go.text-template-html
	w.Write([]byte("ok"))
}
