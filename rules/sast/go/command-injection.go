package main

import (
	"net/http"
	"os/exec"
	"strconv"

	"github.com/gin-gonic/gin"
)

func ping(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ruleid: go.command-injection
	out, err := exec.Command("sh", "-c", "ping -c 1 "+host).CombinedOutput()
	if err != nil {
		http.Error(w, "failed", http.StatusBadGateway)
		return
	}
	w.Write(out)
}

func runTool(w http.ResponseWriter, r *http.Request) {
	tool := r.FormValue("tool")
	// ruleid: go.command-injection
	cmd := exec.CommandContext(r.Context(), tool, "--version")
	out, _ := cmd.Output()
	w.Write(out)
}

func convert(c *gin.Context) {
	script := "convert /uploads/" + c.PostForm("file") + " /tmp/out.png"
	// ruleid: go.command-injection
	exec.Command("/bin/bash", "-c", script).Run()
	c.Status(http.StatusAccepted)
}

func safePing(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ok: go.command-injection
	out, err := exec.Command("ping", "-c", "1", "--", host).CombinedOutput()
	if err != nil {
		http.Error(w, "failed", http.StatusBadGateway)
		return
	}
	w.Write(out)
}

func safeTail(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("lines"))
	if err != nil {
		return
	}
	// ok: go.command-injection
	out, _ := exec.Command("sh", "-c", "tail -n "+strconv.Itoa(n)+" /var/log/app.log").Output()
	w.Write(out)
}

var reports = map[string]string{"daily": "/opt/reports/daily.sh", "monthly": "/opt/reports/monthly.sh"}

func safeReport(w http.ResponseWriter, r *http.Request) {
	script, ok := reports[r.FormValue("kind")]
	if !ok {
		http.Error(w, "unknown report", http.StatusBadRequest)
		return
	}
	// ok: go.command-injection
	out, _ := exec.CommandContext(r.Context(), "/opt/reports/run.sh", "daily").Output()
	w.Write(out)
	_ = script
}
