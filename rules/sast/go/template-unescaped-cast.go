package main

import (
	"html/template"
	"net/http"

	"github.com/microcosm-cc/bluemonday"
)

type Page struct {
	Title   string
	Message template.HTML
	Script  template.JS
}

var page = template.Must(template.New("p").Parse(`<h1>{{.Title}}</h1>{{.Message}}<script>{{.Script}}</script>`))

func message(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.template-unescaped-cast
	p := Page{Title: "Inbox", Message: template.HTML(r.FormValue("msg"))}
	page.Execute(w, p)
}

func note(w http.ResponseWriter, note string) {
	// ruleid: go.template-unescaped-cast
	html := template.HTML("<p>" + note + "</p>")
	page.Execute(w, Page{Message: html})
}

func tracking(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.template-unescaped-cast
	page.Execute(w, Page{Script: template.JS("var campaign = '" + r.URL.Query().Get("c") + "';")})
}

func safeMessage(w http.ResponseWriter, r *http.Request) {
	// ok: go.template-unescaped-cast
	page.Execute(w, Page{Title: r.FormValue("msg"), Message: template.HTML("<p>Welcome back</p>")})
}

var policy = bluemonday.UGCPolicy()

func safeNote(w http.ResponseWriter, note string) {
	// ok: go.template-unescaped-cast
	page.Execute(w, Page{Message: template.HTML(policy.Sanitize(note))})
}

func safeSanitized(w http.ResponseWriter, note string) {
	clean := policy.Sanitize(note)
	// ok: go.template-unescaped-cast
	page.Execute(w, Page{Message: template.HTML(clean)})
}
