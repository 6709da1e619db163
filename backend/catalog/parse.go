package catalog

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"patchbay/backend/apperr"
)

// MaxDefinitionBytes bounds one definition file. Real ones are a few KB; the
// bound keeps a wrongly chosen file (a log, a video) from being read whole.
const MaxDefinitionBytes = 1 << 20

// maxProblemsShown keeps an error message readable when a file is very wrong.
const maxProblemsShown = 5

//go:embed connector.schema.json
var schemaJSON []byte

const schemaURL = "https://patchbay.invalid/schemas/connector.schema.json"

// compiledSchema is derived from embedded, immutable bytes, so compiling it
// once per process is safe to share; it holds no state that tests could need
// to vary.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read the embedded connector schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("add the embedded connector schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile the embedded connector schema: %w", err)
	}
	return s, nil
})

// problem is one thing wrong with a definition: where (a JSON path such as
// "auth[0].in", "" for the whole file) and what to do about it.
type problem struct {
	path string
	msg  string
}

// Parse reads and validates one connector definition. source names where the
// bytes came from ("my-api.json") and starts every error message. The result
// has its derived parts filled in (auth method fields, the default test
// method) and Builtin false; the caller decides whether it is a built-in.
func Parse(data []byte, source string) (Connector, error) {
	if source == "" {
		source = "connector definition"
	}
	if len(data) > MaxDefinitionBytes {
		return Connector{}, invalid(source, []problem{{"", fmt.Sprintf(
			"the file is larger than %d KB; a connector definition is a small JSON file", MaxDefinitionBytes>>10)}})
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // editors on Windows add a BOM
	doc, p := decodeJSON(data)
	if p != nil {
		return Connector{}, invalid(source, []problem{*p})
	}
	schema, err := compiledSchema()
	if err != nil {
		return Connector{}, apperr.Wrap(apperr.Internal, err, "The connector schema built into Patchbay is broken: %v", err)
	}
	if err := schema.Validate(doc); err != nil {
		return Connector{}, invalid(source, schemaProblems(doc, err))
	}
	var c Connector
	if err := json.Unmarshal(data, &c); err != nil {
		// The schema admits only what the struct can hold, so this is a bug.
		return Connector{}, apperr.Wrap(apperr.Internal, err, "%s: passed the schema but could not be read: %v", source, err)
	}
	if ps := check(&c); len(ps) > 0 {
		return Connector{}, invalid(source, ps)
	}
	fillDerived(&c)
	return c, nil
}

// fillDerived sets what the loader owns, whatever the file said.
func fillDerived(c *Connector) {
	c.Builtin = false
	if c.Category == "" {
		c.Category = "Custom"
	}
	if c.Kind == "" {
		c.Kind = KindHTTP
	}
	if c.Setup == nil {
		c.Setup = []string{} // the front end iterates it; JSON null would break it
	}
	for i := range c.Auth {
		c.Auth[i].Fields = StandardFields(c.Auth[i])
	}
	if c.Kind == KindDatabase {
		fillDatabase(c)
		return
	}
	c.Test.Method = strings.ToUpper(c.Test.Method)
	if c.Test.Method == "" {
		c.Test.Method = "GET"
	}
	c.Advanced = AdvancedFields()
	if c.Accounts != nil {
		c.Accounts.Method = strings.ToUpper(cmp.Or(c.Accounts.Method, "GET"))
		c.Accounts.Field = AccountField(*c.Accounts)
	}
	// The front end iterates it; JSON null would break it.
	if c.Fields == nil {
		c.Fields = []Field{}
	}
}

// decodeJSON parses data into the generic shape the schema validator wants
// (numbers kept as json.Number), or says plainly why it is not a definition.
func decodeJSON(data []byte) (any, *problem) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, &problem{"", "the file is empty; a connector definition is a JSON object such as {\"id\": \"my-api\", …}"}
	case trimmed[0] == '<':
		return nil, &problem{"", "this is an HTML or XML document, not a connector definition (JSON); if you saved a web page, download the raw .json file instead"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, &problem{"", jsonErrorMessage(data, err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(data, int(dec.InputOffset()))
		return nil, &problem{"", fmt.Sprintf("not valid JSON: unexpected content after the definition at line %d, column %d; a file holds exactly one JSON object", line, col)}
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, &problem{"", fmt.Sprintf("must be a JSON object {…}, got %s", jsonKind(doc))}
	}
	return doc, nil
}

func jsonErrorMessage(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the offending byte itself; point at it, not past it.
		line, col := lineCol(data, int(syn.Offset)-1)
		return fmt.Sprintf("not valid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "not valid JSON: the file ends too early (a missing } or ])"
	}
	return "not valid JSON: " + err.Error()
}

// lineCol turns a byte offset into a 1-based line and column for a person.
func lineCol(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = offset - bytes.LastIndexByte(before, '\n')
	return line, col
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "true/false"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list [...]"
	case map[string]any:
		return "an object {...}"
	}
	return fmt.Sprintf("%T", v)
}

// invalid makes the one validation error a definition yields: the source,
// then each problem as "path: what to fix". Field is the first problem's path
// so a form or an editor can point at it.
func invalid(source string, ps []problem) *apperr.Error {
	parts := make([]string, 0, min(len(ps), maxProblemsShown))
	for _, p := range ps[:min(len(ps), maxProblemsShown)] {
		if p.path == "" {
			parts = append(parts, p.msg)
		} else {
			parts = append(parts, p.path+": "+p.msg)
		}
	}
	msg := source + ": " + strings.Join(parts, "; ")
	if extra := len(ps) - maxProblemsShown; extra > 0 {
		msg += fmt.Sprintf(" (and %d more)", extra)
	}
	return apperr.Invalid(ps[0].path, "%s", msg)
}

// schemaProblems flattens the validator's error tree into problems with
// readable paths and messages, sorted by path so the order is stable (the
// validator walks maps in random order).
func schemaProblems(doc any, err error) []problem {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []problem{{"", err.Error()}}
	}
	type ranked struct {
		problem
		rank int
	}
	var found []ranked
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		for _, p := range describe(doc, e) {
			// A wrong type makes other keywords fail too; the type is the
			// problem to report.
			rank := 1
			switch e.ErrorKind.(type) {
			case *kind.Type, *kind.Required, *kind.AdditionalProperties:
				rank = 0
			}
			found = append(found, ranked{p, rank})
		}
	}
	walk(ve)
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].path != found[j].path {
			return found[i].path < found[j].path
		}
		return found[i].rank < found[j].rank
	})
	var out []problem
	for i, f := range found {
		if i > 0 && f.path == found[i-1].path {
			continue
		}
		out = append(out, f.problem)
	}
	if len(out) == 0 {
		return []problem{{"", ve.Error()}}
	}
	return out
}

// describe turns one leaf validation error into problems.
func describe(doc any, e *jsonschema.ValidationError) []problem {
	at := jsonPath(doc, e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		out := make([]problem, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, problem{joinPath(at, m), "is required"})
		}
		return out
	case *kind.AdditionalProperties:
		known := knownKeys(e.InstanceLocation)
		out := make([]problem, 0, len(k.Properties))
		for _, prop := range k.Properties {
			out = append(out, problem{joinPath(at, prop), unknownKeyMessage(prop, known)})
		}
		return out
	case *kind.Type:
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			if w != "null" {
				want = append(want, typeWord(w))
			}
		}
		return []problem{{at, fmt.Sprintf("must be %s, got %s", strings.Join(want, " or "), typeWord(k.Got))}}
	case *kind.Enum:
		return []problem{{at, fmt.Sprintf("must be %s, got %s", orList(k.Want), display(k.Got))}}
	case *kind.MinItems:
		if k.Want == 1 {
			return []problem{{at, "must list at least one entry"}}
		}
		return []problem{{at, fmt.Sprintf("must list at least %d entries", k.Want)}}
	case *kind.MaxItems:
		return []problem{{at, fmt.Sprintf("lists %d entries; at most %d are allowed", k.Got, k.Want)}}
	case *kind.MinLength:
		if k.Want == 1 {
			return []problem{{at, "must not be empty"}}
		}
		return []problem{{at, fmt.Sprintf("must be at least %d characters", k.Want)}}
	case *kind.MaxLength:
		return []problem{{at, fmt.Sprintf("is too long (%d characters; at most %d)", k.Got, k.Want)}}
	}
	return []problem{{at, e.ErrorKind.LocalizedString(message.NewPrinter(language.English))}}
}

func typeWord(t string) string {
	switch t {
	case "string":
		return "a string"
	case "array":
		return "a list [...]"
	case "object":
		return "an object {...}"
	case "boolean":
		return "true or false"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "null":
		return "null"
	}
	return t
}

// orList renders enum choices as `"a" or "b"` / `one of "a", "b" or "c"`.
func orList(values []any) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = display(v)
	}
	switch len(quoted) {
	case 0:
		return "nothing"
	case 1:
		return quoted[0]
	case 2:
		return quoted[0] + " or " + quoted[1]
	}
	return "one of " + strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case json.Number:
		return v.String()
	case nil:
		return "null"
	case map[string]any, []any:
		return jsonKind(v)
	}
	return fmt.Sprint(v)
}

// jsonPath renders a JSON pointer's tokens as "auth[0].fieldOverrides.password",
// using the document to tell list indexes from object keys.
func jsonPath(doc any, tokens []string) string {
	var b strings.Builder
	cur := doc
	for _, tok := range tokens {
		switch v := cur.(type) {
		case []any:
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v) {
				cur = v[i]
			} else {
				cur = nil
			}
		case map[string]any:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			cur = v[tok]
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
			cur = nil
		}
	}
	return b.String()
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// knownKeys lists the keys allowed at a location, read from the Go types the
// definition decodes into, so a typo's message can name the right key.
func knownKeys(tokens []string) []string {
	t := reflect.TypeOf(Connector{})
	for _, tok := range tokens {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			f, ok := structFieldByJSON(t, tok)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		if name := jsonName(t.Field(i)); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

func structFieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if jsonName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

// unknownKeyMessage suggests the closest known key, because most unknown keys
// are typos ("mehtod", "baseURL").
func unknownKeyMessage(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, key) {
			best, bestDist = k, 0
			break
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(key)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key %q; did you mean %q?", key, best)
	}
	if len(known) > 0 {
		return fmt.Sprintf("unknown key %q; allowed keys here: %s", key, strings.Join(known, ", "))
	}
	return fmt.Sprintf("unknown key %q", key)
}

// editDistance is the Levenshtein distance; keys are short, so O(n·m) is fine.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
