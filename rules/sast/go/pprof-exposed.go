package main

import (
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func main() {
	http.HandleFunc("/api/accounts", accounts)
	go func() {
		// ok: go.pprof-exposed
		log.Println(http.ListenAndServe("localhost:6060", nil))
	}()
	go func() {
		// ok: go.pprof-exposed
		log.Println(http.ListenAndServe("127.0.0.1:6061", nil))
	}()
	go func() {
		// ruleid: go.pprof-exposed
		log.Println(http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", nil))
	}()
	go func() {
		// ruleid: go.pprof-exposed
		srv := &http.Server{Addr: ":9090", Handler: http.DefaultServeMux}
		log.Println(srv.ListenAndServe())
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/accounts", accounts)
	// ok: go.pprof-exposed
	log.Println(http.ListenAndServe(":8081", mux))
	// ruleid: go.pprof-exposed
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}

func accounts(w http.ResponseWriter, r *http.Request) {}
