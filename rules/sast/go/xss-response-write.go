package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

func greet(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go.xss-response-write
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
}

func searchResults(w http.ResponseWriter, r *http.Request) {
	term := r.FormValue("q")
	// ruleid: go.xss-response-write
	w.Write([]byte("<p>No results for " + term + "</p>"))
}

func notFound(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNotFound)
	// ruleid: go.xss-response-write
	io.WriteString(w, "<div>Unknown page "+r.URL.Path+"</div>")
}

func echoGreet(c echo.Context) error {
	// ruleid: go.xss-response-write
	return c.HTML(http.StatusOK, "<h1>Hello "+c.QueryParam("name")+"</h1>")
}

func safeGreet(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ok: go.xss-response-write
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
}

func safeJSON(w http.ResponseWriter, r *http.Request) {
	out, _ := json.Marshal(map[string]string{"q": r.FormValue("q")})
	// ok: go.xss-response-write
	w.Write(out)
}

func safePlain(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// ok: go.xss-response-write
	fmt.Fprintf(w, "echo: %s\n", r.FormValue("msg"))
}

func safeEcho(c echo.Context) error {
	// ok: go.xss-response-write
	return c.String(http.StatusOK, "Hello "+c.QueryParam("name"))
}

func htmlTyped(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// ruleid: go.xss-response-write
	fmt.Fprintln(w, "<p>", r.FormValue("msg"), "</p>")
}
