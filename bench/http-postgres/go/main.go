// TechEmpower's database tests on net/http with pgx and its pool, for bench/http-postgres:
// GET /db (one random World row as JSON), GET /queries?n=N (N rows, N clamped to 1..500, 1
// when missing or not a number) and GET /fortunes (every Fortune row and one added at request
// time, sorted by message, as an HTML table with its text escaped). BIND_ADDR sets the address,
// DATABASE_URL the database (a libpq connection string) and POOL_SIZE the pool's connections.
package main

import (
	"context"
	"encoding/json"
	"html/template"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

const worldRows = 10000

type World struct {
	ID           int32 `json:"id"`
	RandomNumber int32 `json:"randomNumber"`
}

type Fortune struct {
	ID      int32
	Message string
}

var fortunesPage = template.Must(template.New("fortunes").Parse(
	`<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>` +
		`{{range .}}<tr><td>{{.ID}}</td><td>{{.Message}}</td></tr>{{end}}</table></body></html>`))

type app struct{ pool *pgxpool.Pool }

func (a *app) world(ctx context.Context) (World, error) {
	var w World
	err := a.pool.QueryRow(ctx, "SELECT id, randomnumber FROM world WHERE id = $1", rand.Int32N(worldRows)+1).Scan(&w.ID, &w.RandomNumber)
	return w, err
}

func writeJSON(w http.ResponseWriter, value any) {
	w.Header().Set("Server", "net/http")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(value)
}

func (a *app) db(w http.ResponseWriter, r *http.Request) {
	world, err := a.world(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, world)
}

// queryCount reads TechEmpower's query count: a number clamped to 1..500, else 1.
func queryCount(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 500)
}

func (a *app) queries(w http.ResponseWriter, r *http.Request) {
	worlds := make([]World, queryCount(r.URL.Query().Get("n")))
	for i := range worlds {
		world, err := a.world(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		worlds[i] = world
	}
	writeJSON(w, worlds)
}

func (a *app) fortunes(w http.ResponseWriter, r *http.Request) {
	rows, err := a.pool.Query(r.Context(), "SELECT id, message FROM fortune")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fortunes := []Fortune{{0, "Additional fortune added at request time."}}
	for rows.Next() {
		var f Fortune
		if err := rows.Scan(&f.ID, &f.Message); err != nil {
			rows.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fortunes = append(fortunes, f)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	slices.SortFunc(fortunes, func(x, y Fortune) int { return strings.Compare(x.Message, y.Message) })
	w.Header().Set("Server", "net/http")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := fortunesPage.Execute(w, fortunes); err != nil {
		log.Print(err)
	}
}

func main() {
	config, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	size, err := strconv.Atoi(os.Getenv("POOL_SIZE"))
	if err != nil || size < 1 {
		log.Fatal("POOL_SIZE must be a positive number")
	}
	config.MaxConns, config.MinConns = int32(size), int32(size)
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	a := &app{pool}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /db", a.db)
	mux.HandleFunc("GET /queries", a.queries)
	mux.HandleFunc("GET /fortunes", a.fortunes)
	addr := os.Getenv("BIND_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	log.Fatal(http.ListenAndServe(addr, mux))
}
