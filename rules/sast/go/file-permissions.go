package main

import (
	"os"
)

func writeExport(path string, data []byte) error {
	// ruleid: go.file-permissions
	return os.WriteFile(path, data, 0666)
}

func prepareSpool() error {
	// ruleid: go.file-permissions
	return os.MkdirAll("/var/spool/payments", 0777)
}

func openAudit() (*os.File, error) {
	// ruleid: go.file-permissions
	return os.OpenFile("/var/log/bank/audit.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, os.ModePerm)
}

func safeWriteExport(path string, data []byte) error {
	// ok: go.file-permissions
	return os.WriteFile(path, data, 0600)
}

func safeSpool() error {
	// ok: go.file-permissions
	return os.MkdirAll("/var/spool/payments", 0o750)
}

func safeAudit() (*os.File, error) {
	// ok: go.file-permissions
	return os.OpenFile("/var/log/bank/audit.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0640)
}
