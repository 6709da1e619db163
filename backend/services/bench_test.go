package services

import (
	"fmt"
	"testing"

	"patchbay/backend/core"
)

// BenchmarkSaveUnverified measures one save of a connection without secrets
// through the bound service: validation, SQLite write and the change event.
func BenchmarkSaveUnverified(b *testing.B) {
	e := &env{home: b.TempDir(), keyring: nil, events: &events{}}
	bk := NewBackend()
	if err := bk.Start(b.Context(), Options{Options: core.Options{Home: e.home}, Emit: e.events.emit}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = bk.Close() })
	i := 0
	for b.Loop() {
		i++
		_, err := bk.Connections.SaveConnection(ConnectionDraft{
			ConnectorID: "http", Name: fmt.Sprintf("Tenant %d", i), AuthType: "none",
			BaseURL: "http://127.0.0.1:1", Settings: map[string]string{"testPath": "/"},
		}, false, "")
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListConnections1000 lists a workspace holding 1,000 connections,
// as the Connectors page does on every change.
func BenchmarkListConnections1000(b *testing.B) {
	bk := NewBackend()
	if err := bk.Start(b.Context(), Options{Options: core.Options{Home: b.TempDir()}, Emit: (&events{}).emit}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = bk.Close() })
	for i := range 1000 {
		if _, err := bk.Connections.SaveConnection(ConnectionDraft{
			ConnectorID: "http", Name: fmt.Sprintf("Tenant %d", i), AuthType: "none",
			BaseURL: "http://127.0.0.1:1", Settings: map[string]string{"testPath": "/"},
		}, false, ""); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := bk.Connections.ListConnections(); err != nil {
			b.Fatal(err)
		}
	}
}
