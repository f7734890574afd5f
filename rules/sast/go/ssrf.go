package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
)

func preview(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: go.ssrf
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func webhookTest(c *gin.Context) {
	client := &http.Client{Timeout: 5 * time.Second}
	// ruleid: go.ssrf
	resp, err := client.Post(c.PostForm("callback"), "application/json", nil)
	if err == nil {
		resp.Body.Close()
	}
}

func avatar(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ssrf
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "https://"+r.FormValue("host")+"/avatar.png", nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		defer resp.Body.Close()
		io.Copy(w, resp.Body)
	}
}

func safeRates(w http.ResponseWriter, r *http.Request) {
	currency := r.URL.Query().Get("currency")
	// ok: go.ssrf
	resp, err := http.Get("https://rates.bank.example/v1/" + url.PathEscape(currency))
	if err == nil {
		defer resp.Body.Close()
		io.Copy(w, resp.Body)
	}
}

func safeUser(w http.ResponseWriter, r *http.Request) {
	// ok: go.ssrf
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("https://users.internal.example/users/%s", r.FormValue("id")), nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
}

func safeStatus(w http.ResponseWriter, r *http.Request) {
	// ok: go.ssrf
	resp, err := http.Get("https://status.bank.example/health")
	if err == nil {
		resp.Body.Close()
	}
	w.Header().Set("X-Request", r.Header.Get("X-Request-Id"))
}
