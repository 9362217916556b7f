// Command tasks-memory starts N goroutines that each wait, reports how long starting them took,
// then waits for every one to finish.
//
// Usage: tasks-memory N SECONDS; prints "spawn_ms MILLISECONDS" once all have finished.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tasks-memory N SECONDS (two whole numbers)")
		os.Exit(1)
	}
	tasks, errTasks := strconv.Atoi(os.Args[1])
	seconds, errSeconds := strconv.Atoi(os.Args[2])
	if errTasks != nil || errSeconds != nil || tasks < 0 || seconds < 0 {
		fmt.Fprintln(os.Stderr, "usage: tasks-memory N SECONDS (two whole numbers)")
		os.Exit(1)
	}
	wait := time.Duration(seconds) * time.Second
	var group sync.WaitGroup
	start := time.Now()
	for range tasks {
		group.Go(func() { time.Sleep(wait) })
	}
	spawned := time.Since(start)
	group.Wait()
	fmt.Printf("spawn_ms %.3f\n", float64(spawned.Microseconds())/1000)
}
