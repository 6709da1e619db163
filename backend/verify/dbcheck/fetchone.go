package dbcheck

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds on the row Fetch one record shows: a value is cut after
// maxValueBytes, the whole row after maxRowBytes.
const (
	maxValueBytes = 4 << 10
	maxRowBytes   = 256 << 10
)

// tableOf builds the quoted name of a table to fetch from out of a
// "schema.table" or "table" setting, with quote for the engine's
// identifiers.
func tableOf(object string, quote func(string) string) (string, error) {
	parts, err := splitObject(object)
	if err != nil {
		return "", err
	}
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = quote(p)
	}
	return strings.Join(quoted, "."), nil
}

// queryOneRow runs stmt and gives its first row as JSON, "" when there is
// none.
func queryOneRow(ctx context.Context, conn *sql.Conn, stmt string) (string, error) {
	rows, err := conn.QueryContext(ctx, stmt)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return "", err
	}
	if !rows.Next() {
		return "", rows.Err()
	}
	values := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range values {
		ptrs[i] = &values[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", err
	}
	return rowJSON(names, values), rows.Err()
}

// rowJSON writes a row as a JSON object with its columns in table order:
// text as text, bytes as text when they are UTF-8 (else hex), times in
// RFC 3339, numbers and booleans as themselves; a long value is cut.
func rowJSON(names []string, values []any) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		b.Write(k)
		b.WriteByte(':')
		b.Write(valueJSON(values[i]))
		if b.Len() > maxRowBytes {
			b.WriteString(`,"…":"the row is cut here: it is larger than 256 KB"`)
			break
		}
	}
	b.WriteByte('}')
	return b.String()
}

func valueJSON(v any) []byte {
	switch x := v.(type) {
	case nil:
		return []byte("null")
	case []byte:
		if utf8.Valid(x) {
			return textJSON(string(x))
		}
		return textJSON("\\x" + hex.EncodeToString(x[:min(len(x), maxValueBytes/2)]))
	case string:
		return textJSON(x)
	case time.Time:
		return textJSON(x.Format(time.RFC3339Nano))
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		if out, err := json.Marshal(x); err == nil {
			return out
		}
	}
	if out, err := json.Marshal(v); err == nil && len(out) <= maxValueBytes {
		return out
	}
	return textJSON(fmt.Sprint(v))
}

func textJSON(s string) []byte {
	if len(s) > maxValueBytes {
		cut := maxValueBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	out, _ := json.Marshal(s)
	return out
}
