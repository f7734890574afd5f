package main

import "crypto/tls"

var legacy = &tls.Config{
	MinVersion: tls.VersionTLS12,
	CipherSuites: []uint16{
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		// ruleid: go.tls-weak-cipher-suites
		tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
		// ruleid: go.tls-weak-cipher-suites
		tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA,
	},
}

func partner() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	// ruleid: go.tls-weak-cipher-suites
	cfg.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}
	return cfg
}

var modern = &tls.Config{
	MinVersion: tls.VersionTLS12,
	CipherSuites: []uint16{
		// ok: go.tls-weak-cipher-suites
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		// ok: go.tls-weak-cipher-suites
		tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	},
}

// ok: go.tls-weak-cipher-suites
var defaults = &tls.Config{MinVersion: tls.VersionTLS13}
