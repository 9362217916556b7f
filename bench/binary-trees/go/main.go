// Command binary-trees is the Benchmarks Game's binary-trees, single-threaded: it allocates many
// perfect binary trees bottom-up, walks each to count its nodes, and drops it, while one
// long-lived tree stays alive. Every node is its own heap allocation, as the rules ask.
//
// Usage: binary-trees [DEPTH] (default 10); prints the game's expected output format.
package main

import (
	"fmt"
	"os"
	"strconv"
)

// minDepth is the depth of the smallest trees the program builds.
const minDepth = 4

// node is a tree node; a leaf has no children, an inner node has both.
type node struct {
	left, right *node
}

// bottomUp builds a perfect tree of the given depth from the leaves up.
func bottomUp(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{bottomUp(depth - 1), bottomUp(depth - 1)}
}

// check counts the nodes of the tree.
func (n *node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

func main() {
	depth := 10
	if len(os.Args) > 1 {
		parsed, err := strconv.Atoi(os.Args[1])
		if err != nil || parsed < 0 || parsed > 30 {
			fmt.Fprintln(os.Stderr, "binary-trees: DEPTH must be a whole number from 0 to 30")
			os.Exit(1)
		}
		depth = parsed
	}
	maxDepth := max(depth, minDepth+2)

	stretch := maxDepth + 1
	fmt.Printf("stretch tree of depth %d\t check: %d\n", stretch, bottomUp(stretch).check())

	longLived := bottomUp(maxDepth)
	for d := minDepth; d <= maxDepth; d += 2 {
		iterations := 1 << (maxDepth - d + minDepth)
		check := 0
		for range iterations {
			check += bottomUp(d).check()
		}
		fmt.Printf("%d\t trees of depth %d\t check: %d\n", iterations, d, check)
	}
	fmt.Printf("long lived tree of depth %d\t check: %d\n", maxDepth, longLived.check())
}
