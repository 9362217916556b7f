// Command regex-redux is the Benchmarks Game's regex-redux, sequential, with regexp from the
// standard library: it reads a FASTA file from standard input, strips its headers and line
// breaks, counts the matches of nine patterns, applies five substitutions in turn, and prints the
// counts and three lengths (the input's, the stripped sequence's, and the substituted one's).
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"regexp"
)

// variants are DNA 8-mers and their reverse complements, with a wildcard in one position.
var variants = []string{
	"agggtaaa|tttaccct",
	"[cgt]gggtaaa|tttaccc[acg]",
	"a[act]ggtaaa|tttacc[agt]t",
	"ag[act]gtaaa|tttac[agt]ct",
	"agg[act]taaa|ttta[agt]cct",
	"aggg[acg]aaa|ttt[cgt]ccct",
	"agggt[cgt]aa|tt[acg]accct",
	"agggta[cgt]a|t[acg]taccct",
	"agggtaa[cgt]|[acg]ttaccct",
}

// substitutions are applied one after the other.
var substitutions = []struct{ pattern, replacement string }{
	{"tHa[Nt]", "<4>"},
	{"aND|caN|Ha[DS]|WaS", "<3>"},
	{"a[NSt]|BY", "<2>"},
	{"<[^>]*>", "|"},
	{`\|[^|][^|]*\|`, "-"},
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		log.Fatalf("reading standard input: %v", err)
	}
	sequence := regexp.MustCompile(">.*\n|\n").ReplaceAllLiteral(input, nil)
	for _, pattern := range variants {
		fmt.Printf("%s %d\n", pattern, len(regexp.MustCompile(pattern).FindAllIndex(sequence, -1)))
	}
	substituted := sequence
	for _, s := range substitutions {
		substituted = regexp.MustCompile(s.pattern).ReplaceAllLiteral(substituted, []byte(s.replacement))
	}
	fmt.Printf("\n%d\n%d\n%d\n", len(input), len(sequence), len(substituted))
}
