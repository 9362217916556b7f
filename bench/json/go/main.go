// Command json-doc parses one JSON document into typed structs with encoding/json and
// serialises it back, timing both. The document is the one `bench/run json` generates: a list
// of customer records.
//
// Usage: json-doc FILE ITERATIONS OUT: writes one serialisation to OUT (for the harness to
// compare with FILE), then prints the mean time of one parse and one serialisation:
// "parse_ms MS" and "serialize_ms MS".
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// document is the whole document.
type document struct {
	Generator string     `json:"generator"`
	Customers []customer `json:"customers"`
}

// customer is one customer record.
type customer struct {
	ID      uint64   `json:"id"`
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Active  bool     `json:"active"`
	Score   float64  `json:"score"`
	Tags    []string `json:"tags"`
	Address address  `json:"address"`
	Orders  []order  `json:"orders"`
}

// address is a postal address.
type address struct {
	Street   string `json:"street"`
	City     string `json:"city"`
	Postcode string `json:"postcode"`
}

// order is one order line.
type order struct {
	SKU      string  `json:"sku"`
	Quantity uint32  `json:"quantity"`
	Price    float64 `json:"price"`
}

// run does the measurement; any error is a message for the user.
func run(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: json-doc FILE ITERATIONS OUT")
	}
	input, output := args[1], args[3]
	iterations, err := strconv.Atoi(args[2])
	if err != nil || iterations <= 0 {
		return fmt.Errorf("ITERATIONS %q is not a positive whole number", args[2])
	}
	bytes, err := os.ReadFile(input)
	if err != nil {
		return err
	}
	var doc document
	if err := json.Unmarshal(bytes, &doc); err != nil {
		return fmt.Errorf("parsing %s: %w", input, err)
	}
	written, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("serialising: %w", err)
	}
	if err := os.WriteFile(output, written, 0o644); err != nil {
		return err
	}

	start := time.Now()
	for range iterations {
		var parsed document
		if err := json.Unmarshal(bytes, &parsed); err != nil {
			return fmt.Errorf("parsing %s: %w", input, err)
		}
	}
	parse := time.Since(start)
	start = time.Now()
	for range iterations {
		if _, err := json.Marshal(doc); err != nil {
			return fmt.Errorf("serialising: %w", err)
		}
	}
	serialize := time.Since(start)
	perIteration := func(total time.Duration) float64 {
		return total.Seconds() * 1000 / float64(iterations)
	}
	fmt.Printf("parse_ms %.4f\n", perIteration(parse))
	fmt.Printf("serialize_ms %.4f\n", perIteration(serialize))
	return nil
}

func main() {
	if err := run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "json-doc:", err)
		os.Exit(1)
	}
}
