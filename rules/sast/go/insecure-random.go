package main

import (
	"fmt"
	"math/rand"
	"strconv"
	"time"
)

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func generateResetToken() string {
	b := make([]byte, 32)
	for i := range b {
		// ruleid: go.insecure-random
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

func sendOTP(phone string) {
	// ruleid: go.insecure-random
	otpCode := fmt.Sprintf("%06d", rand.Intn(1000000))
	deliver(phone, otpCode)
}

type Session struct {
	ID        string
	CSRFToken string
}

func newSession() Session {
	return Session{
		ID: strconv.FormatInt(time.Now().UnixNano(), 36),
		// ruleid: go.insecure-random
		CSRFToken: strconv.FormatInt(rand.Int63(), 36),
	}
}

func retryDelay(attempt int) time.Duration {
	// ok: go.insecure-random
	jitter := time.Duration(rand.Intn(250)) * time.Millisecond
	return time.Duration(attempt)*time.Second + jitter
}

func pickServer(servers []string) string {
	// ok: go.insecure-random
	return servers[rand.Intn(len(servers))]
}

func shuffleTips(tips []string) {
	// ok: go.insecure-random
	rand.Shuffle(len(tips), func(i, j int) { tips[i], tips[j] = tips[j], tips[i] })
}

func deliver(phone, code string) {}
