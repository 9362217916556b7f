// Command http-json-go is a TechEmpower-style JSON test server on net/http from the standard
// library: GET /json answers {"message":"Hello, World!"} with Content-Type: application/json,
// plus the Server and Date headers that the TechEmpower test requires.
//
// Settings, read from the environment:
//   - BIND_ADDR: the address to listen on (default 127.0.0.1:8080);
//   - GOMAXPROCS: read by the Go runtime itself, how many threads run Go code at once
//     (default: one per CPU the process may run on).
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

// message is the response body, serialized anew for every request as the TechEmpower rules ask.
type message struct {
	Message string `json:"message"`
}

func handleJSON(w http.ResponseWriter, _ *http.Request) {
	body, err := json.Marshal(message{Message: "Hello, World!"})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	header := w.Header()
	header.Set("Server", "net/http")
	header.Set("Content-Type", "application/json")
	// net/http adds Date, and Content-Length because the body fits its write buffer.
	if _, err := w.Write(body); err != nil {
		log.Printf("writing the response: %v", err)
	}
}

func main() {
	addr := os.Getenv("BIND_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /json", handleJSON)
	log.Fatal(http.ListenAndServe(addr, mux))
}
