package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
)

func ledgerClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			// ruleid: go.tls-insecure-skip-verify
			TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true},
		},
	}
}

func patchDefault() {
	// ruleid: go.tls-insecure-skip-verify
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
}

func dialBroker(addr string) (*tls.Conn, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	// ruleid: go.tls-insecure-skip-verify
	cfg.InsecureSkipVerify = true
	return tls.Dial("tcp", addr, cfg)
}

func safeClient() (*http.Client, error) {
	pem, err := os.ReadFile("/etc/bank/internal-ca.pem")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	// ok: go.tls-insecure-skip-verify
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}, nil
}

func safeDial(addr string) (*tls.Conn, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS13}
	// ok: go.tls-insecure-skip-verify
	cfg.InsecureSkipVerify = false
	return tls.Dial("tcp", addr, cfg)
}

// ok: go.tls-insecure-skip-verify
var strict = &tls.Config{InsecureSkipVerify: false, ServerName: "ledger.bank.example"}
