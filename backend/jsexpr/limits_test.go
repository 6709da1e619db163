package jsexpr

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkBuiltinsAtTheLimit shows what the slowest allowed use of each
// guarded built-in costs: each must stay well inside DefaultTimeout, since
// the time limit cannot stop a built-in once it runs.
func BenchmarkBuiltinsAtTheLimit(b *testing.B) {
	in := Input{Status: 200, Body: []byte(`{}`)}
	for _, expr := range []string{
		fmt.Sprintf("new Array(%d).fill(0).length", maxElements),
		fmt.Sprintf("new Array(%d).join('').length", maxElements),
		fmt.Sprintf("new Array(%d).fill('x'.repeat(%d)).join('').length", 1024, maxChars/1024),
		fmt.Sprintf("Array.from({length: %d}).length", maxElements),
		fmt.Sprintf("new Array(%d).fill(0).map(Math.random).sort().length", maxSortElements),
		fmt.Sprintf("new Array(%d).indexOf(1)", maxElements),
		fmt.Sprintf("new Array(%d).fill(0).concat(new Array(%d).fill(0)).length", maxElements/2, maxElements/2),
		fmt.Sprintf("String.fromCharCode.apply(null, new Array(%d).fill(65)).length", maxElements),
		fmt.Sprintf("new Float64Array(%d).length", maxElements),
		fmt.Sprintf("'x'.repeat(%d).length", maxChars),
		fmt.Sprintf("'x'.repeat(%d).split('').length", maxElements),
		fmt.Sprintf("'x\\n'.repeat(%d).split('\\n').length", maxChars/2),
		fmt.Sprintf("'x'.padEnd(%d, 'yz').length", maxChars),
	} {
		b.Run(expr, func(b *testing.B) {
			r := Runner{Timeout: time.Minute}
			for i := 0; i < b.N; i++ {
				if _, err := r.Eval(context.Background(), expr, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
