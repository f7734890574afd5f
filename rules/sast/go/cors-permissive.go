package main

import (
	"net/http"

	ginCors "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/rs/cors"
)

var allowed = map[string]bool{"https://app.bank.example": true}

func apiHandler(h http.Handler) http.Handler {
	// ruleid: go.cors-permissive
	c := cors.New(cors.Options{AllowedOrigins: []string{"*"}, AllowCredentials: true})
	return c.Handler(h)
}

func router() *gin.Engine {
	r := gin.New()
	// ruleid: go.cors-permissive
	r.Use(ginCors.New(ginCors.Config{AllowAllOrigins: true, AllowCredentials: true}))
	return r
}

func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ruleid: go.cors-permissive
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		next.ServeHTTP(w, r)
	})
}

func safeAPI(h http.Handler) http.Handler {
	// ok: go.cors-permissive
	c := cors.New(cors.Options{AllowedOrigins: []string{"https://app.bank.example"}, AllowCredentials: true})
	return c.Handler(h)
}

func safePublic(h http.Handler) http.Handler {
	// ok: go.cors-permissive
	return cors.New(cors.Options{AllowedOrigins: []string{"*"}, AllowedMethods: []string{http.MethodGet}}).Handler(h)
}

func safeWithCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); allowed[origin] {
			// ok: go.cors-permissive
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Vary", "Origin")
		}
		next.ServeHTTP(w, r)
	})
}
