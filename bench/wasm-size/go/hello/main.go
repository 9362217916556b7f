// Hello world as a WebAssembly (WASI) command, for bench/wasm-size.
package main

import "fmt"

func main() {
	fmt.Println("Hello, world!")
}
