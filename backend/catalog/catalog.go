package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"patchbay/backend/apperr"
)

//go:embed connectors/*.json
var builtinFiles embed.FS

// GenericCategory marks connectors that are not one platform (HTTP API, the
// database engines). List puts them after the named platforms: a person looks
// for their platform first and falls back to a generic connector.
const GenericCategory = "Generic"

// Catalog is the set of connectors the app knows: the built-ins plus any the
// user imported. It is safe for concurrent use; every connector it returns is
// a copy the caller may change.
type Catalog struct {
	mu         sync.RWMutex
	connectors map[string]Connector
}

// LoadBuiltins returns a catalog holding the built-in connectors. An error
// means a built-in definition is broken, which is a bug in this build.
func LoadBuiltins() (*Catalog, error) {
	names, err := fs.Glob(builtinFiles, "connectors/*.json")
	if err != nil {
		return nil, fmt.Errorf("list the built-in connectors: %w", err)
	}
	c := &Catalog{connectors: map[string]Connector{}}
	for _, name := range names {
		data, err := builtinFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read built-in connector %s: %w", name, err)
		}
		conn, err := Parse(data, name)
		if err != nil {
			return nil, fmt.Errorf("built-in connector: %w", err)
		}
		if other, dup := c.connectors[conn.ID]; dup {
			return nil, apperr.Invalid("id", "%s: id %q is also used by the built-in %s", name, conn.ID, other.Name)
		}
		conn.Builtin = true
		c.connectors[conn.ID] = conn
	}
	return c, nil
}

// List returns every connector: named platforms sorted by name, then the
// generic connectors sorted by name.
func (c *Catalog) List() []Connector {
	c.mu.RLock()
	out := make([]Connector, 0, len(c.connectors))
	for _, conn := range c.connectors {
		out = append(out, clone(conn))
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b Connector) int {
		ga, gb := a.Category == GenericCategory, b.Category == GenericCategory
		if ga != gb {
			if ga {
				return 1
			}
			return -1
		}
		if n := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); n != 0 {
			return n
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Get returns the connector with this id.
func (c *Catalog) Get(id string) (Connector, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	conn, ok := c.connectors[id]
	if !ok {
		return Connector{}, false
	}
	return clone(conn), true
}

// Import validates a user's definition and adds it to the catalog. source
// names the file in error messages. An id that belongs to a built-in is
// refused; one that belongs to an earlier import is replaced, which is how a
// user updates their own definition. Import does not write anything to disk.
func (c *Catalog) Import(data []byte, source string) (Connector, error) {
	conn, err := Parse(data, source)
	if err != nil {
		return Connector{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.addUserLocked(conn, source); err != nil {
		return Connector{}, err
	}
	return clone(conn), nil
}

func (c *Catalog) addUserLocked(conn Connector, source string) error {
	if existing, ok := c.connectors[conn.ID]; ok && existing.Builtin {
		e := apperr.New(apperr.Conflict,
			"%s: id: %q is the built-in %s connector; give your connector another id, such as %q",
			source, conn.ID, existing.Name, conn.ID+"-custom")
		e.Field = "id"
		return e
	}
	conn.Builtin = false
	c.connectors[conn.ID] = conn
	return nil
}

// LoadUserDir adds every *.json definition in dir (the data home's
// connectors folder) to c. A bad file is reported and skipped, never fatal:
// one broken definition must not keep the app from starting. A missing
// folder holds no definitions.
func LoadUserDir(c *Catalog, dir string) []error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return []error{apperr.Wrap(apperr.Internal, err, "Cannot read the connectors folder %s: %v", dir, err)}
	}
	var errs []error
	from := map[string]string{} // id → file, to name both files of a clash
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		file := filepath.Join(dir, e.Name())
		data, err := readBounded(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		conn, err := Parse(data, file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, dup := from[conn.ID]; dup {
			e := apperr.New(apperr.Conflict, "%s: id: %q is already used by %s; skipped this file", file, conn.ID, first)
			e.Field = "id"
			errs = append(errs, e)
			continue
		}
		c.mu.Lock()
		err = c.addUserLocked(conn, file)
		c.mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		from[conn.ID] = file
	}
	return errs
}

// ImportFile validates a definition file, adds it to the catalog and keeps
// a copy in userDir (the data home's connectors folder, read by LoadUserDir
// at the next start). A bad file changes nothing.
func (c *Catalog) ImportFile(file, userDir string) (Connector, error) {
	data, err := readBounded(file)
	if err != nil {
		return Connector{}, err
	}
	conn, err := c.Import(data, filepath.Base(file))
	if err != nil {
		return Connector{}, err
	}
	dest := filepath.Join(userDir, conn.ID+".json")
	if err := os.WriteFile(dest, data, 0o600); err != nil {
		return Connector{}, apperr.Wrap(apperr.Internal, err, "Imported %s, but could not keep a copy in %s: %v. It will be gone after a restart.", conn.Name, userDir, err)
	}
	return conn, nil
}

func readBounded(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, apperr.Wrap(apperr.Validation, err, "%s: cannot open: %v", file, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxDefinitionBytes+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Validation, err, "%s: cannot read: %v", file, err)
	}
	return data, nil // Parse refuses what is over the limit, with a message
}

// clone copies every slice and map of a connector so callers cannot change
// the catalog's copy through the one they were given.
func clone(c Connector) Connector {
	c.Fields = cloneFields(c.Fields)
	c.Advanced = cloneFields(c.Advanced)
	c.Setup = slices.Clone(c.Setup)
	c.Auth = slices.Clone(c.Auth)
	for i := range c.Auth {
		c.Auth[i].Fields = cloneFields(c.Auth[i].Fields)
		if c.Auth[i].FieldOverrides != nil {
			overrides := make(map[string]FieldOverride, len(c.Auth[i].FieldOverrides))
			for k, o := range c.Auth[i].FieldOverrides {
				if o.Required != nil {
					r := *o.Required
					o.Required = &r
				}
				overrides[k] = o
			}
			c.Auth[i].FieldOverrides = overrides
		}
		if o := c.Auth[i].OAuth; o != nil {
			cp := *o
			cp.Scopes = slices.Clone(o.Scopes)
			cp.AuthParams = maps.Clone(o.AuthParams)
			c.Auth[i].OAuth = &cp
		}
	}
	if c.Accounts != nil {
		a := *c.Accounts
		a.Headers = maps.Clone(a.Headers)
		a.Field.Options = slices.Clone(a.Field.Options)
		c.Accounts = &a
	}
	if c.Database != nil {
		d := *c.Database
		d.URLSchemes = slices.Clone(d.URLSchemes)
		c.Database = &d
	}
	c.Test.Headers = maps.Clone(c.Test.Headers)
	c.Test.Failures = maps.Clone(c.Test.Failures)
	c.Test.Rules = slices.Clone(c.Test.Rules)
	for i := range c.Test.Rules {
		// Equals holds decoded JSON; scalars are values already, and nothing
		// in the app edits an object or list in place.
		c.Test.Rules[i].Status = slices.Clone(c.Test.Rules[i].Status)
	}
	return c
}

func cloneFields(fields []Field) []Field {
	out := slices.Clone(fields)
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options)
	}
	return out
}
