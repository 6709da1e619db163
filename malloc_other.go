//go:build !linux

package main

// limitMallocArenas has nothing to do where the C library is not glibc.
func limitMallocArenas() {}
