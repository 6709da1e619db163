package connections

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/jsexpr"
	"patchbay/backend/verify"
)

// maxAccounts bounds the list the editor shows.
const maxAccounts = 1000

// Account is one account the credentials can reach.
type Account struct {
	ID   string
	Name string
}

// ListAccounts runs the connector's accounts request with a draft's
// credentials (token steps included, logged as kind "accounts") and maps
// the answer to accounts with the definition's items expression. A failed
// request is a verification_failed error in the words a test would use;
// the Verification holds its exchanges either way.
func (m *Manager) ListAccounts(ctx context.Context, workspaceID string, d Draft, runID string, onExchange ExchangeFunc) ([]Account, Verification, error) {
	if d.ID != "" {
		defer m.lock(d.ID)()
	}
	r, existing, err := m.resolve(ctx, d)
	if err != nil {
		return nil, Verification{}, err
	}
	a := r.connector.Accounts
	if a == nil {
		return nil, Verification{}, apperr.Invalid("connectorId", "%s does not list accounts: it is not an account-based platform.", r.connector.Name)
	}
	listing := r
	listing.listingAccounts = true
	listing.connector.Test = catalog.TestRequest{Method: a.Method, Path: a.Path, Headers: a.Headers, Failures: r.connector.Test.Failures}
	if a.BaseURL != "" {
		listing.connector.BaseURL, listing.draft.BaseURL = a.BaseURL, ""
	}
	var status int
	var header http.Header
	var body []byte
	v, tokens, err := m.verifyWith(ctx, workspaceID, m.connectionIDFor(ctx, d), &listing, runID, onExchange, verifyOptions{
		kind: connlog.KindAccounts,
		onAnswer: func(s int, h http.Header, b []byte) {
			status, header, body = s, h.Clone(), b
		},
	})
	if err != nil {
		return nil, Verification{}, err
	}
	if existing != nil && tokens.refreshed {
		if err := m.persistTokens(ctx, existing.ID, listing); err != nil {
			return nil, v, err
		}
	}
	if v.Status != verify.Connected {
		e := apperr.New(apperr.VerificationFailed, "The accounts could not be listed: %s %s", v.Summary, v.Advice)
		e.Field = v.Field
		return nil, v, e
	}
	in := jsexpr.Input{Status: status, Headers: map[string]string{}, Body: body}
	for k := range header {
		in.Headers[strings.ToLower(k)] = header.Get(k)
	}
	raw, err := jsexpr.Runner{}.Eval(ctx, a.Items, in)
	if err != nil {
		return nil, v, apperr.Wrap(apperr.VerificationFailed, err, "The accounts were answered, but the connector's items expression failed on them: %s", err.Error())
	}
	accounts, err := toAccounts(raw)
	if err != nil {
		return nil, v, err
	}
	return accounts, v, nil
}

// toAccounts reads the items expression's result: a list of objects with
// an id (text or number) and a name (the id when it has none).
func toAccounts(raw any) ([]Account, error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, apperr.New(apperr.VerificationFailed, "The connector's items expression gave %s, not a list of {id, name} objects.", kindOf(raw))
	}
	out := []Account{}
	seen := map[string]bool{}
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			return nil, apperr.New(apperr.VerificationFailed, "Item %d of the accounts is %s, not an {id, name} object.", i+1, kindOf(item))
		}
		id := text(obj["id"])
		if id == "" {
			return nil, apperr.New(apperr.VerificationFailed, "Item %d of the accounts has no id.", i+1)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		name := text(obj["name"])
		if name == "" {
			name = id
		}
		out = append(out, Account{ID: id, Name: name})
		if len(out) == maxAccounts {
			break
		}
	}
	return out, nil
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case string:
		return "a string"
	case int64, float64:
		return "a number"
	case bool:
		return "true/false"
	}
	return fmt.Sprintf("a %T", v)
}
