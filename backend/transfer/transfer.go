// Package transfer writes a workspace's connections and integrations as a
// secret-free, git-friendly file and reads one back: the same file from the
// command line (patchbay export / import) and the app (Settings). The file
// names the secrets a connection needs, never their values; it has a version,
// a stable order, and no internal ids or times that change on every export.
package transfer

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/store"
)

// Kind and Version mark the file; a newer version is refused, not guessed.
const (
	Kind    = "patchbay-export"
	Version = 1
)

// MaxFileBytes bounds a file to import.
const MaxFileBytes = 8 << 20

// File is one workspace's connections and integrations.
type File struct {
	Kind         string        `json:"kind" yaml:"kind"`
	Version      int           `json:"version" yaml:"version"`
	Workspace    string        `json:"workspace" yaml:"workspace"`
	Connections  []Connection  `json:"connections" yaml:"connections"`
	Integrations []Integration `json:"integrations" yaml:"integrations"`
}

// Connection is a connection without its secrets: they are named, so an
// import can ask for them.
type Connection struct {
	Name           string            `json:"name" yaml:"name"`
	Environment    string            `json:"environment,omitempty" yaml:"environment,omitempty"`
	Connector      string            `json:"connector" yaml:"connector"`
	Auth           string            `json:"auth,omitempty" yaml:"auth,omitempty"`
	BaseURL        string            `json:"baseUrl,omitempty" yaml:"baseUrl,omitempty"`
	TimeoutSeconds int               `json:"timeoutSeconds,omitempty" yaml:"timeoutSeconds,omitempty"`
	Settings       map[string]string `json:"settings,omitempty" yaml:"settings,omitempty"`
	Parameters     map[string]string `json:"parameters,omitempty" yaml:"parameters,omitempty"`
	// Secrets names the secret fields to supply (apiKey, clientSecret, …).
	Secrets []string `json:"secrets,omitempty" yaml:"secrets,omitempty"`
	// UserSecrets names the connection's own {{secrets}} to supply.
	UserSecrets []string `json:"userSecrets,omitempty" yaml:"userSecrets,omitempty"`
}

// Integration is an integration with its sides named by connection.
type Integration struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Active      bool   `json:"active" yaml:"active"`
	Source      Side   `json:"source" yaml:"source"`
	Destination Side   `json:"destination" yaml:"destination"`
}

// Side names a connection by connector, name and environment.
type Side struct {
	Connector   string `json:"connector" yaml:"connector"`
	Connection  string `json:"connection,omitempty" yaml:"connection,omitempty"`
	Environment string `json:"environment,omitempty" yaml:"environment,omitempty"`
}

// Store is what an export reads and an import writes.
type Store struct {
	Store       *store.Store
	Connections *connections.Manager
	Catalog     *catalog.Catalog
}

// Export reads the workspace into a File, in a stable order.
func (s Store) Export(ctx context.Context, workspaceID string) (File, error) {
	ws, err := s.Store.GetWorkspace(ctx, workspaceID)
	if err != nil {
		return File{}, err
	}
	list, err := s.Connections.List(ctx, workspaceID)
	if err != nil {
		return File{}, err
	}
	f := File{Kind: Kind, Version: Version, Workspace: ws.Name, Connections: []Connection{}, Integrations: []Integration{}}
	byID := map[string]store.Connection{}
	for _, c := range list {
		byID[c.ID] = c
		v := connections.ViewOf(c)
		ec := Connection{Name: c.Name, Environment: c.Environment, Connector: c.ConnectorID, Auth: c.AuthType, BaseURL: c.BaseURL,
			TimeoutSeconds: c.TimeoutSeconds, Settings: nonEmpty(v.Settings), Parameters: nonEmpty(v.Parameters),
			UserSecrets: v.UserSecrets}
		ec.Secrets = s.neededSecrets(c, v.SecretFields)
		if len(ec.UserSecrets) == 0 {
			ec.UserSecrets = nil
		}
		f.Connections = append(f.Connections, ec)
	}
	slices.SortFunc(f.Connections, func(a, b Connection) int {
		return cmp.Or(cmp.Compare(a.Connector, b.Connector), cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(strings.ToLower(a.Environment), strings.ToLower(b.Environment)))
	})
	ins, err := s.Store.ListIntegrations(ctx, workspaceID)
	if err != nil {
		return File{}, err
	}
	side := func(sd store.Side) Side {
		out := Side{Connector: sd.ConnectorID}
		if c, ok := byID[sd.ConnectionID]; ok {
			out.Connection, out.Environment = c.Name, c.Environment
		}
		return out
	}
	for _, in := range ins { // by name already
		f.Integrations = append(f.Integrations, Integration{Name: in.Name, Description: in.Description, Active: in.Active,
			Source: side(in.Source), Destination: side(in.Destination)})
	}
	return f, nil
}

// neededSecrets names the secret fields a connection is to be given: those
// it holds and those its auth method requires, never a token (tokens come
// from signing in, not from a file).
func (s Store) neededSecrets(c store.Connection, stored []string) []string {
	var out []string
	for _, k := range stored {
		if !slices.Contains(catalog.TokenKeys, k) {
			out = append(out, k)
		}
	}
	if connector, ok := s.Catalog.Get(c.ConnectorID); ok {
		for _, m := range connector.Auth {
			if string(m.Type) != c.AuthType {
				continue
			}
			for _, f := range m.Fields {
				if f.Secret && f.Required && !slices.Contains(out, f.Key) {
					out = append(out, f.Key)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// Marshal writes f as YAML, or as JSON when asJSON.
func Marshal(f File, asJSON bool) ([]byte, error) {
	if asJSON {
		b, err := json.MarshalIndent(f, "", "  ")
		return append(b, '\n'), err
	}
	var buf bytes.Buffer
	buf.WriteString("# Patchbay connections and integrations. No secret is in this file: each\n# connection names the secrets to supply when it is imported.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// Parse reads a file Marshal wrote (YAML or JSON), refusing what is not one,
// a version it does not know, and entries it could not import.
func Parse(data []byte) (File, error) {
	if len(data) > MaxFileBytes {
		return File{}, apperr.New(apperr.Validation, "The file is larger than %d MB; an export of connections is much smaller. Is it the right file?", MaxFileBytes>>20)
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data)) // YAML reads JSON too
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return File{}, apperr.Wrap(apperr.Validation, err, "The file is not a Patchbay export, or it is damaged: %s.", yamlError(err))
	}
	switch {
	case f.Kind != Kind:
		return File{}, apperr.New(apperr.Validation, "The file is not a Patchbay export (its kind is %q, not %q).", f.Kind, Kind)
	case f.Version > Version:
		return File{}, apperr.New(apperr.Validation, "The file is version %d of the export format; this Patchbay reads version %d. Update Patchbay to import it.", f.Version, Version)
	case f.Version < 1:
		return File{}, apperr.New(apperr.Validation, "The file has no valid version (%d).", f.Version)
	}
	for i, c := range f.Connections {
		if strings.TrimSpace(c.Name) == "" || strings.TrimSpace(c.Connector) == "" {
			return File{}, apperr.New(apperr.Validation, "Connection %d of the file has no name or connector.", i+1)
		}
	}
	for i, in := range f.Integrations {
		if strings.TrimSpace(in.Name) == "" || in.Source.Connector == "" || in.Destination.Connector == "" {
			return File{}, apperr.New(apperr.Validation, "Integration %d of the file has no name, or a side without a connector.", i+1)
		}
	}
	return f, nil
}

func yamlError(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
