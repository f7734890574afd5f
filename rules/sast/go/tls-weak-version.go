package main

import (
	"crypto/tls"
	"net/http"
)

func legacyServer(h http.Handler) *http.Server {
	return &http.Server{
		Addr:    ":8443",
		Handler: h,
		// ruleid: go.tls-weak-version
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS10},
	}
}

func partnerClient() *http.Client {
	cfg := &tls.Config{}
	// ruleid: go.tls-weak-version
	cfg.MinVersion = tls.VersionTLS11
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

// ruleid: go.tls-weak-version
var capped = &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS11}

func safeServer(h http.Handler) *http.Server {
	return &http.Server{
		Addr:    ":8443",
		Handler: h,
		// ok: go.tls-weak-version
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

func safeClient() *http.Client {
	cfg := &tls.Config{}
	// ok: go.tls-weak-version
	cfg.MinVersion = tls.VersionTLS13
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

// ok: go.tls-weak-version
var modern = &tls.Config{MinVersion: tls.VersionTLS13, MaxVersion: tls.VersionTLS13}
