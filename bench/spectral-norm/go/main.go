// Command spectral-norm is the Benchmarks Game's spectral-norm, single-threaded: the spectral
// norm of an infinite matrix, approximated by 10 steps of the power method on its N × N corner.
//
// Usage: spectral-norm [N] (default 100); prints the norm to nine decimal places.
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
)

// a is entry (i, j) of the matrix: 1 / ((i + j)(i + j + 1) / 2 + i + 1).
func a(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

// multiplyAv sets out = A · v.
func multiplyAv(v, out []float64) {
	for i := range out {
		sum := 0.0
		for j, x := range v {
			sum += a(i, j) * x
		}
		out[i] = sum
	}
}

// multiplyAtv sets out = Aᵀ · v.
func multiplyAtv(v, out []float64) {
	for i := range out {
		sum := 0.0
		for j, x := range v {
			sum += a(j, i) * x
		}
		out[i] = sum
	}
}

// multiplyAtAv sets out = Aᵀ · A · v, with scratch for the intermediate vector.
func multiplyAtAv(v, scratch, out []float64) {
	multiplyAv(v, scratch)
	multiplyAtv(scratch, out)
}

func main() {
	n := 100
	if len(os.Args) > 1 {
		parsed, err := strconv.Atoi(os.Args[1])
		if err != nil || parsed <= 0 {
			fmt.Fprintln(os.Stderr, "spectral-norm: N must be a positive whole number")
			os.Exit(1)
		}
		n = parsed
	}
	u := make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	v := make([]float64, n)
	scratch := make([]float64, n)
	for range 10 {
		multiplyAtAv(u, scratch, v)
		multiplyAtAv(v, scratch, u)
	}
	var vBv, vv float64
	for i := range v {
		vBv += u[i] * v[i]
		vv += v[i] * v[i]
	}
	fmt.Printf("%.9f\n", math.Sqrt(vBv/vv))
}
