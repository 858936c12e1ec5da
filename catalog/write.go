package catalog

import (
	"bytes"
	"encoding/json"
	"io"
)

// MarshalJSON encodes the catalog in the entitlements.json format: 2-space
// indentation, entries sorted by name (patterns in catalog order), no HTML
// escaping. For the builtin catalog the result is byte-for-byte the
// embedded file, which the tests check.
func (c *Catalog) MarshalJSON() ([]byte, error) {
	f := &file{
		Version:           c.version,
		FactsDate:         c.factsDate,
		Keys:              c.keys,
		Hallucinations:    c.halls,
		InfoPlistKeys:     c.infoKeys,
		InfoPlistPatterns: c.patterns,
	}
	if len(c.prefixes) > 0 || len(c.privKeys) > 0 {
		f.Private = &privateSection{Prefixes: c.prefixes, Keys: c.privKeys}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON writes the catalog (e.g. the merged catalog for
// `entitlint catalog --json`) in the entitlements.json format.
func (c *Catalog) WriteJSON(w io.Writer) error {
	b, err := c.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
