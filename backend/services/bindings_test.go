package services

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Wails' binding generator prints its whole list of known structs, as if it
// were an error, for every struct-typed field of a type it does not know
// (time.Time is one) in `wails build` and `make bindings`. A time that
// crosses to the UI is RFC 3339 text in JSON: its field says so with
// ts_type:"string", and the build log stays quiet.
func TestTimesCrossingToTheUISayTheyAreText(t *testing.T) {
	timeType := reflect.TypeOf(time.Time{})
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, where string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
			if typ.Kind() == reflect.Map {
				walk(typ.Key(), where)
			}
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ == timeType || seen[typ] {
			return
		}
		seen[typ] = true
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft == timeType && f.Tag.Get("ts_type") == "" && !strings.HasPrefix(f.Tag.Get("json"), "-") {
				t.Errorf("%s.%s (reached from %s) is a time.Time without ts_type:\"string\"", typ, f.Name, where)
			}
			walk(f.Type, where)
		}
	}
	for _, svc := range NewBackend().Bound() {
		st := reflect.TypeOf(svc)
		for i := 0; i < st.NumMethod(); i++ {
			m := st.Method(i)
			where := st.Elem().Name() + "." + m.Name
			for j := 1; j < m.Type.NumIn(); j++ {
				walk(m.Type.In(j), where)
			}
			for j := 0; j < m.Type.NumOut(); j++ {
				walk(m.Type.Out(j), where)
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("walked only %d structs: the walk misses the bound methods", len(seen))
	}
}
