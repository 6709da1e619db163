package services

import (
	"encoding/json"

	"patchbay/backend/apperr"
)

// uiError carries an *apperr.Error across the Wails bridge. Wails rejects the
// JS promise with err.Error(), so the text is the JSON the front end's api
// module parses back into {code, message, field}.
type uiError struct{ e *apperr.Error }

func (u uiError) Error() string {
	b, _ := json.Marshal(u.e)
	return string(b)
}

func (u uiError) Unwrap() error { return u.e }

// toUI converts any error into the bridge shape; nil stays nil.
func toUI(err error) error {
	if err == nil {
		return nil
	}
	return uiError{apperr.From(err)}
}
