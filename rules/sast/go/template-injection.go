package main

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

type Customer struct {
	Name    string
	Balance string
}

func preview(w http.ResponseWriter, r *http.Request) {
	body := r.FormValue("template")
	// ruleid: go.template-injection
	tmpl, err := template.New("preview").Parse(body)
	if err != nil {
		http.Error(w, "bad template", http.StatusBadRequest)
		return
	}
	tmpl.Execute(w, Customer{Name: "Ann", Balance: "100.00"})
}

func greeting(w http.ResponseWriter, r *http.Request) {
	t := template.New("greeting").Funcs(template.FuncMap{"upper": strings.ToUpper})
	// ruleid: go.template-injection
	t, _ = t.Parse("<h1>Hello " + r.URL.Query().Get("name") + "</h1>")
	t.Execute(w, nil)
}

func banner(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.template-injection
	tmpl := template.Must(template.New("banner").Parse(r.Header.Get("X-Banner")))
	tmpl.Execute(w, nil)
}

var page = template.Must(template.New("page").Parse("<h1>Hello {{.}}</h1>"))

func safePreview(w http.ResponseWriter, r *http.Request) {
	// ok: go.template-injection
	page.Execute(w, r.FormValue("name"))
}

func safeGreeting(w http.ResponseWriter, r *http.Request) {
	t := template.New("greeting")
	// ok: go.template-injection
	t, _ = t.Parse("<h1>Hello {{.Name}}</h1>")
	t.Execute(w, Customer{Name: r.URL.Query().Get("name")})
}

func safeURL(w http.ResponseWriter, r *http.Request) {
	// ok: go.template-injection
	u, err := url.Parse(r.FormValue("next"))
	if err != nil || u.Host != "" {
		http.Error(w, "bad url", http.StatusBadRequest)
	}
}
