// A Windows program with no resources, built by pecheck's tests.
package main

func main() { println("hello") }
