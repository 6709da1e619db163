package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
)

func TestLinesSkipsBlanksAndCommentsAndNumbersWhatIsLeft(t *testing.T) {
	type line struct {
		n    int
		text string
	}
	var got []line
	for n, text := range catalog.Lines("# header\r\n  a=1  \r\n\n\t# indented comment\nb: 2\n") {
		got = append(got, line{n, text})
	}
	require.Equal(t, []line{{2, "a=1"}, {5, "b: 2"}}, got)
}

func TestParseParamsNamesTheLineToFix(t *testing.T) {
	v, err := catalog.ParseParams("prompt = consent\n# note\naccess_type=offline\nempty=")
	require.NoError(t, err)
	require.Equal(t, "consent", v.Get("prompt"))
	require.Equal(t, "offline", v.Get("access_type"))
	require.True(t, v.Has("empty"))

	_, err = catalog.ParseParams("a=1\n\nno equals sign")
	require.ErrorContains(t, err, "line 3")
}
