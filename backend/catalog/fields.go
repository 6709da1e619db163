package catalog

// Standard auth field keys. A connection stores its values under these keys
// (non-secret ones as settings, secret ones in the keychain); package auth
// reads the same keys when it applies credentials to a request.
const (
	KeyAPIKeyIn     = "apiKeyIn"
	KeyAPIKeyName   = "apiKeyName"
	KeyAPIKey       = "apiKey"
	KeyUsername     = "username"
	KeyPassword     = "password"
	KeyBearerHeader = "bearerHeader"
	KeyBearerPrefix = "bearerPrefix"
	KeyToken        = "token"
)

// Defaults a method falls back to when its definition leaves them empty.
// Package auth applies the same ones, so the form shows what will be sent.
const (
	DefaultAPIKeyIn     = "header"
	DefaultAPIKeyName   = "X-API-Key"
	DefaultBearerHeader = "Authorization"
	DefaultBearerPrefix = "Bearer"
)

// StandardFields returns the inputs the connection editor shows for one auth
// method, with the method's defaults filled in and its FieldOverrides applied.
// Placement fields (where the key or token goes) appear only when the method
// is Configurable; otherwise the definition decides and the user is not asked.
func StandardFields(m AuthMethod) []Field {
	fields := []Field{} // never nil: the front end iterates it
	switch m.Type {
	case AuthAPIKey:
		if m.Configurable {
			fields = append(fields,
				Field{
					Key: KeyAPIKeyIn, Label: "Send the key in", Type: FieldSelect, Required: true,
					Default: firstNonEmpty(m.In, DefaultAPIKeyIn),
					Options: []Option{{Value: "header", Label: "Header"}, {Value: "query", Label: "Query parameter"}},
					Help:    "Where the API expects the key: a request header or a query string parameter.",
				},
				Field{
					Key: KeyAPIKeyName, Label: "Header or parameter name", Type: FieldText, Required: true,
					Default:     firstNonEmpty(m.Name, DefaultAPIKeyName),
					Placeholder: DefaultAPIKeyName,
					Help:        "The exact name the API documents, e.g. X-API-Key or api_key.",
				},
			)
		}
		fields = append(fields, Field{
			Key: KeyAPIKey, Label: "API key", Type: FieldPassword, Secret: true, Required: true,
		})
	case AuthBasic:
		fields = append(fields,
			Field{Key: KeyUsername, Label: "Username", Type: FieldText, Required: true},
			Field{
				Key: KeyPassword, Label: "Password", Type: FieldPassword, Secret: true,
				Help: "Leave empty if the API uses only a username.",
			},
		)
	case AuthBearer:
		if m.Configurable {
			fields = append(fields,
				Field{
					Key: KeyBearerHeader, Label: "Header", Type: FieldText, Required: true,
					Default:     firstNonEmpty(m.Header, DefaultBearerHeader),
					Placeholder: DefaultBearerHeader,
					Help:        "The request header that carries the token.",
				},
				Field{
					Key: KeyBearerPrefix, Label: "Prefix", Type: FieldText,
					Default:     firstNonEmpty(m.Prefix, DefaultBearerPrefix),
					Placeholder: DefaultBearerPrefix,
					Help:        "The word before the token, e.g. Bearer or Token. Leave empty to send the token alone.",
				},
			)
		}
		fields = append(fields, Field{
			Key: KeyToken, Label: "Token", Type: FieldPassword, Secret: true, Required: true,
		})
	}
	for i := range fields {
		if o, ok := m.FieldOverrides[fields[i].Key]; ok {
			applyOverride(&fields[i], o)
		}
	}
	return fields
}

func applyOverride(f *Field, o FieldOverride) {
	if o.Label != "" {
		f.Label = o.Label
	}
	if o.Help != "" {
		f.Help = o.Help
	}
	if o.Placeholder != "" {
		f.Placeholder = o.Placeholder
	}
	if o.Pattern != "" {
		f.Pattern = o.Pattern
		f.PatternMessage = o.PatternMessage
	}
	if o.Required != nil {
		f.Required = *o.Required
	}
}

// standardKeys lists every key StandardFields may produce for any method, so
// a connector's own fields cannot shadow one.
var standardKeys = []string{
	KeyAPIKeyIn, KeyAPIKeyName, KeyAPIKey, KeyUsername, KeyPassword,
	KeyBearerHeader, KeyBearerPrefix, KeyToken,
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
