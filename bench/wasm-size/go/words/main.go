// A small library exported to a WebAssembly host (a WASI reactor, built with
// -buildmode=c-shared): the host asks for a buffer with alloc, writes a UTF-8 string into it,
// and calls word_count, which releases it.
package main

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// buffers keeps each buffer handed to the host alive until word_count reads it.
var buffers = map[unsafe.Pointer][]byte{}

//go:wasmexport alloc
func alloc(size int32) unsafe.Pointer {
	buffer := make([]byte, size+1) // one spare byte, so even an empty buffer has an address
	pointer := unsafe.Pointer(&buffer[0])
	buffers[pointer] = buffer[:size]
	return pointer
}

// wordCount returns the number of whitespace-separated words in the buffer at pointer (from
// alloc, which this releases), or -1 when it is not UTF-8.
//
//go:wasmexport word_count
func wordCount(pointer unsafe.Pointer, size int32) int32 {
	buffer := buffers[pointer][:size]
	delete(buffers, pointer)
	if !utf8.Valid(buffer) {
		return -1
	}
	return int32(len(strings.Fields(string(buffer))))
}

func main() {}
