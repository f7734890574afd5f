package main

import (
	"database/sql"
	"net/http"
	"net/smtp"
	"os"

	"github.com/gorilla/sessions"
	"golang.org/x/crypto/ssh"
)

func openLedger() (*sql.DB, error) {
	// ruleid: go.hardcoded-credentials
	return sql.Open("mysql", "ledger:Winter2024!@tcp(db.internal:3306)/ledger")
}

func openPayments() (*sql.DB, error) {
	// ruleid: go.hardcoded-credentials
	return sql.Open("postgres", "host=pg.internal user=payments password=p4ym3nts dbname=payments sslmode=require")
}

func mailer() smtp.Auth {
	// ruleid: go.hardcoded-credentials
	return smtp.PlainAuth("", "alerts@bank.example", "smtp-pass-2023", "smtp.bank.example")
}

func sftpConfig() *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User: "batch",
		// ruleid: go.hardcoded-credentials
		Auth: []ssh.AuthMethod{ssh.Password("b4tch-upl0ad")},
	}
}

// ruleid: go.hardcoded-credentials
var store = sessions.NewCookieStore([]byte("super-secret-session-key"))

func partnerRequest(req *http.Request) {
	// ruleid: go.hardcoded-credentials
	req.SetBasicAuth("bank", "partner-api-password")
}

func safeOpenLedger() (*sql.DB, error) {
	// ok: go.hardcoded-credentials
	return sql.Open("mysql", os.Getenv("LEDGER_DSN"))
}

func safeOpenLocal() (*sql.DB, error) {
	// ok: go.hardcoded-credentials
	return sql.Open("postgres", "host=/var/run/postgresql dbname=payments sslmode=disable")
}

func safeMailer() smtp.Auth {
	// ok: go.hardcoded-credentials
	return smtp.PlainAuth("", "alerts@bank.example", os.Getenv("SMTP_PASSWORD"), "smtp.bank.example")
}

// ok: go.hardcoded-credentials
var safeStore = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))
