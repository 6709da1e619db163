package apperr_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

func TestLowerFirstContinuesAMessage(t *testing.T) {
	require.Equal(t, "the base URL has no host.", apperr.LowerFirst("The base URL has no host."))
	require.Equal(t, "échec", apperr.LowerFirst("Échec"), "a letter of more than one byte")
	require.Equal(t, "", apperr.LowerFirst(""))
}
