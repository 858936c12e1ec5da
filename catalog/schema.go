package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A validator for the subset of JSON Schema (2020-12) that schema.json uses.
// It works on the position-aware tree from jsontree.go so that violations
// carry a byte offset, and it stops at the first violation in document
// order. Unknown keywords are rejected when the schema is compiled, so the
// schema cannot silently use something this validator ignores.
//
// Supported: $ref (local "#/$defs/…"), $defs, type, enum, const, pattern,
// minLength, properties, required, additionalProperties, propertyNames,
// minProperties, items, minItems, uniqueItems, anyOf, allOf, if/then/else.
// Annotations: $schema, $id, $comment, title, description, examples,
// default, and two extensions: "x-name" (what to call a value in an enum
// message, e.g. "platform") and "x-message" (text used when pattern, anyOf
// or propertyNames fails).

type schemaValidator struct {
	root     map[string]any
	patterns map[string]*regexp.Regexp
}

type violation struct {
	off  int
	path string
	msg  string
}

var schemaKeywords = map[string]bool{
	"$ref": true, "$defs": true, "type": true, "enum": true, "const": true, "pattern": true,
	"minLength": true, "properties": true, "required": true, "additionalProperties": true,
	"propertyNames": true, "minProperties": true, "items": true, "minItems": true,
	"uniqueItems": true, "anyOf": true, "allOf": true, "if": true, "then": true, "else": true,
	"$schema": true, "$id": true, "$comment": true, "title": true, "description": true,
	"examples": true, "default": true, "x-name": true, "x-message": true,
}

func compileSchema(data []byte) (*schemaValidator, error) {
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	v := &schemaValidator{root: root, patterns: map[string]*regexp.Regexp{}}
	if err := v.check(root, "#"); err != nil {
		return nil, err
	}
	return v, nil
}

// check walks the schema, rejecting unknown keywords and bad references and
// compiling patterns.
func (v *schemaValidator) check(s map[string]any, at string) error {
	for kw, val := range s {
		if !schemaKeywords[kw] {
			return fmt.Errorf("schema: %s: unsupported keyword %q", at, kw)
		}
		sub := at + "/" + kw
		switch kw {
		case "$ref":
			ref, _ := val.(string)
			if _, err := v.resolve(ref); err != nil {
				return fmt.Errorf("schema: %s: %v", sub, err)
			}
		case "pattern":
			p, _ := val.(string)
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Errorf("schema: %s: %v", sub, err)
			}
			v.patterns[p] = re
		case "$defs", "properties":
			m, ok := val.(map[string]any)
			if !ok {
				return fmt.Errorf("schema: %s: want an object", sub)
			}
			for name, child := range m {
				cm, ok := child.(map[string]any)
				if !ok {
					return fmt.Errorf("schema: %s/%s: want a schema object", sub, name)
				}
				if err := v.check(cm, sub+"/"+name); err != nil {
					return err
				}
			}
		case "additionalProperties":
			if _, ok := val.(bool); ok {
				continue
			}
			fallthrough
		case "propertyNames", "items", "if", "then", "else":
			cm, ok := val.(map[string]any)
			if !ok {
				return fmt.Errorf("schema: %s: want a schema object", sub)
			}
			if err := v.check(cm, sub); err != nil {
				return err
			}
		case "anyOf", "allOf":
			list, ok := val.([]any)
			if !ok {
				return fmt.Errorf("schema: %s: want an array", sub)
			}
			for i, child := range list {
				cm, ok := child.(map[string]any)
				if !ok {
					return fmt.Errorf("schema: %s/%d: want a schema object", sub, i)
				}
				if err := v.check(cm, fmt.Sprintf("%s/%d", sub, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (v *schemaValidator) resolve(ref string) (map[string]any, error) {
	const prefix = "#/$defs/"
	if !strings.HasPrefix(ref, prefix) {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	defs, _ := v.root["$defs"].(map[string]any)
	s, ok := defs[strings.TrimPrefix(ref, prefix)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unresolved $ref %q", ref)
	}
	return s, nil
}

// validate checks the whole document.
func (v *schemaValidator) validate(n *jnode) *violation {
	return v.node(v.root, n, "", n.off, "")
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// node validates n against schema s. anchor is the offset to report for
// errors about n as a whole (the member name for object members); name is
// the member name n was reached through ("" for array items and the root).
func (v *schemaValidator) node(s map[string]any, n *jnode, path string, anchor int, name string) *violation {
	fail := func(format string, args ...any) *violation {
		return &violation{off: anchor, path: path, msg: fmt.Sprintf(format, args...)}
	}
	if ref, ok := s["$ref"].(string); ok {
		rs, _ := v.resolve(ref)
		if vi := v.node(rs, n, path, anchor, name); vi != nil {
			return vi
		}
	}
	if t, ok := s["type"]; ok && !typeMatches(t, n) {
		return fail("want %s, got %s", typeNames(t), kindName(n))
	}
	if c, ok := s["const"]; ok && !jsonEqual(c, n) {
		return fail("must be %s", literal(c))
	}
	if enum, ok := s["enum"].([]any); ok {
		match := false
		for _, e := range enum {
			if jsonEqual(e, n) {
				match = true
				break
			}
		}
		if !match {
			what, _ := s["x-name"].(string)
			if what == "" {
				what = name
			}
			if what == "" {
				what = "value"
			}
			return fail("unknown %s %s", what, nodeLiteral(n))
		}
	}
	if n.kind == jString {
		if p, ok := s["pattern"].(string); ok && !v.patterns[p].MatchString(n.str) {
			if m, ok := s["x-message"].(string); ok {
				return fail("%s, got %q", m, n.str)
			}
			return fail("%q does not match %s", n.str, p)
		}
		if ml, ok := s["minLength"].(float64); ok && utf8.RuneCountInString(n.str) < int(ml) {
			if ml == 1 {
				return fail("must not be empty")
			}
			return fail("must be at least %d characters", int(ml))
		}
	}
	if n.kind == jObject {
		if vi := v.object(s, n, path, anchor); vi != nil {
			return vi
		}
	}
	if n.kind == jArray {
		if mi, ok := s["minItems"].(float64); ok && len(n.items) < int(mi) {
			return fail("needs at least %d item(s)", int(mi))
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range n.items {
				if vi := v.node(items, it, fmt.Sprintf("%s[%d]", path, i), it.off, ""); vi != nil {
					return vi
				}
			}
		}
		if u, ok := s["uniqueItems"].(bool); ok && u {
			seen := map[string]int{}
			for i, it := range n.items {
				lit := nodeLiteral(it)
				if j, dup := seen[lit]; dup && it.kind != jObject && it.kind != jArray {
					return &violation{off: it.off, path: fmt.Sprintf("%s[%d]", path, i),
						msg: fmt.Sprintf("duplicate item %s (also %s[%d])", lit, path, j)}
				}
				seen[lit] = i
			}
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if vi := v.node(sub.(map[string]any), n, path, anchor, name); vi != nil {
				return vi
			}
		}
	}
	if anyOf, ok := s["anyOf"].([]any); ok {
		var first *violation
		matched := false
		for _, sub := range anyOf {
			vi := v.node(sub.(map[string]any), n, path, anchor, name)
			if vi == nil {
				matched = true
				break
			}
			if first == nil {
				first = vi
			}
		}
		if !matched {
			if m, ok := s["x-message"].(string); ok {
				return fail("%s", m)
			}
			return first
		}
	}
	if cond, ok := s["if"].(map[string]any); ok {
		branch := "else"
		if v.node(cond, n, path, anchor, name) == nil {
			branch = "then"
		}
		if sub, ok := s[branch].(map[string]any); ok {
			if vi := v.node(sub, n, path, anchor, name); vi != nil {
				return vi
			}
		}
	}
	return nil
}

func (v *schemaValidator) object(s map[string]any, n *jnode, path string, anchor int) *violation {
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if _, ok := n.member(r.(string)); !ok {
				return &violation{off: anchor, path: path, msg: fmt.Sprintf("missing field %q", r.(string))}
			}
		}
	}
	if mp, ok := s["minProperties"].(float64); ok && len(n.members) < int(mp) {
		return &violation{off: anchor, path: path, msg: fmt.Sprintf("needs at least %d field(s)", int(mp))}
	}
	for _, m := range n.members {
		mpath := joinPath(path, m.name)
		if pn, ok := s["propertyNames"].(map[string]any); ok {
			nameNode := &jnode{kind: jString, off: m.nameOff, str: m.name}
			if vi := v.node(pn, nameNode, mpath, m.nameOff, "field name"); vi != nil {
				return &violation{off: m.nameOff, path: mpath, msg: vi.msg}
			}
		}
		if ps, ok := props[m.name].(map[string]any); ok {
			if vi := v.node(ps, m.val, mpath, m.nameOff, m.name); vi != nil {
				return vi
			}
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				return &violation{off: m.nameOff, path: mpath, msg: fmt.Sprintf("unknown field %q", m.name)}
			}
		case map[string]any:
			if vi := v.node(ap, m.val, mpath, m.nameOff, m.name); vi != nil {
				return vi
			}
		}
	}
	return nil
}

func typeMatches(t any, n *jnode) bool {
	switch t := t.(type) {
	case string:
		return typeIs(t, n)
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && typeIs(s, n) {
				return true
			}
		}
	}
	return false
}

func typeIs(t string, n *jnode) bool {
	switch t {
	case "object":
		return n.kind == jObject
	case "array":
		return n.kind == jArray
	case "string":
		return n.kind == jString
	case "boolean":
		return n.kind == jBool
	case "null":
		return n.kind == jNull
	case "number":
		return n.kind == jNumber
	case "integer":
		return n.kind == jNumber && !strings.ContainsAny(n.str, ".eE")
	}
	return false
}

func typeNames(t any) string {
	switch t := t.(type) {
	case string:
		return t
	case []any:
		var parts []string
		for _, x := range t {
			parts = append(parts, fmt.Sprint(x))
		}
		sort.Strings(parts)
		return strings.Join(parts, " or ")
	}
	return fmt.Sprint(t)
}

func kindName(n *jnode) string {
	if n.kind == jNumber && !strings.ContainsAny(n.str, ".eE") {
		return "integer"
	}
	return n.kind.String()
}

// jsonEqual compares a schema literal (decoded by encoding/json) with a node.
func jsonEqual(lit any, n *jnode) bool {
	switch l := lit.(type) {
	case string:
		return n.kind == jString && n.str == l
	case bool:
		return n.kind == jBool && n.b == l
	case nil:
		return n.kind == jNull
	case float64:
		if n.kind != jNumber {
			return false
		}
		f, err := strconv.ParseFloat(n.str, 64)
		return err == nil && f == l
	}
	return false
}

func literal(x any) string {
	b, _ := json.Marshal(x)
	return string(b)
}

func nodeLiteral(n *jnode) string {
	switch n.kind {
	case jString:
		return strconv.Quote(n.str)
	case jNumber:
		return n.str
	case jBool:
		return strconv.FormatBool(n.b)
	case jNull:
		return "null"
	}
	return n.kind.String()
}
