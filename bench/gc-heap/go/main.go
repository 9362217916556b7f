// Command gc-heap-go is an HTTP server on net/http from the standard library that keeps a large
// in-memory cache, so that its collector works under a large live heap: at start-up it fills a
// map of ENTRIES small entries (a short string and a few integers each), and each GET /cache
// reads four random entries, replaces one of them with a new entry (so the heap keeps changing)
// and answers them as JSON.
//
// Settings, read from the environment:
//   - BIND_ADDR: the address to listen on (default 127.0.0.1:8080);
//   - ENTRIES: how many entries the cache holds (default 10000000);
//   - GOMAXPROCS, GOGC, GOMEMLIMIT: read by the Go runtime itself.
package main

import (
	"encoding/json"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// reads is how many random entries each request reads.
const reads = 4

// entry is one cached value: a short string and a few integers.
type entry struct {
	Key     uint64 `json:"key"`
	Name    string `json:"name"`
	Version uint64 `json:"version"`
	Hits    uint64 `json:"hits"`
	Size    uint64 `json:"size"`
}

func newEntry(key, version uint64) entry {
	name := "entry-" + strconv.FormatUint(key, 10)
	return entry{Key: key, Name: name, Version: version, Size: uint64(len(name))}
}

// cache is read and written by one handler at a time: the server runs one thread of Go code
// (GOMAXPROCS=1), yet net/http serves each connection on its own goroutine, so a lock guards it.
type cache struct {
	mu      sync.Mutex
	entries map[uint64]entry
	size    uint64
}

func (c *cache) handle(w http.ResponseWriter, _ *http.Request) {
	var picked [reads]entry
	c.mu.Lock()
	for i := range picked {
		key := rand.Uint64N(c.size)
		e := c.entries[key]
		e.Hits++
		c.entries[key] = e
		picked[i] = e
	}
	// Replace the first entry read with a new one: a fresh string, the old one left as garbage.
	c.entries[picked[0].Key] = newEntry(picked[0].Key, picked[0].Version+1)
	c.mu.Unlock()
	body, err := json.Marshal(map[string][]entry{"entries": picked[:]})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if _, err := w.Write(body); err != nil {
		log.Printf("writing the response: %v", err)
	}
}

func main() {
	addr := os.Getenv("BIND_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	size := uint64(10_000_000)
	if text := os.Getenv("ENTRIES"); text != "" {
		parsed, err := strconv.ParseUint(text, 10, 64)
		if err != nil || parsed == 0 {
			log.Fatalf("ENTRIES=%q is not a positive integer", text)
		}
		size = parsed
	}
	c := &cache{entries: make(map[uint64]entry, size), size: size}
	for key := range size {
		c.entries[key] = newEntry(key, 0)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cache", c.handle)
	log.Fatal(http.ListenAndServe(addr, mux))
}
