package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/theme"
)

// The served page carries the first screen only from a started back end,
// and never waits on one that is slow to start or failed: it then goes
// without, and the front end asks Go.
func TestFirstScreenComesOnlyFromAStartedBackEnd(t *testing.T) {
	a := NewApp(theme.System)
	require.Nil(t, a.firstScreen(), "not started yet: the page goes without, after a short wait")

	close(a.started) // startup ended without the back end (backendUp false)
	require.Nil(t, a.firstScreen(), "a back end that failed to start gives nothing")
}
