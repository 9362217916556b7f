// Command hello is a hello-world command-line program: it prints one line and exits.
package main

import "fmt"

func main() {
	fmt.Println("Hello, world!")
}
