package catalog

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// A tiny JSON parser that remembers where every value (and object member
// name) starts, so that errors in catalog files can name line:col. It
// accepts exactly RFC 8259 JSON, rejects duplicate member names, and limits
// nesting depth.

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

type jnode struct {
	kind    jkind
	off     int    // byte offset of the value's first byte
	str     string // decoded string, or the number literal
	b       bool
	items   []*jnode
	members []jmember
}

type jmember struct {
	name    string
	nameOff int
	val     *jnode
}

// member returns the value of object member name.
func (n *jnode) member(name string) (*jmember, bool) {
	if n == nil || n.kind != jObject {
		return nil, false
	}
	for i := range n.members {
		if n.members[i].name == name {
			return &n.members[i], true
		}
	}
	return nil, false
}

type jsonSyntaxError struct {
	off int
	msg string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

const maxJSONDepth = 64

type jparser struct {
	data  []byte
	pos   int
	depth int
}

func parseJSONTree(data []byte) (*jnode, error) {
	p := &jparser{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, &jsonSyntaxError{0, "byte order mark is not allowed"}
	}
	p.ws()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos < len(p.data) {
		return nil, p.errf("unexpected %s after the top-level value", p.desc())
	}
	return n, nil
}

func (p *jparser) errf(format string, args ...any) error {
	return &jsonSyntaxError{p.pos, fmt.Sprintf(format, args...)}
}

func (p *jparser) desc() string {
	if p.pos >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("character %q", r)
}

func (p *jparser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value() (*jnode, error) {
	if p.pos >= len(p.data) {
		return nil, p.errf("unexpected end of file, want a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		off := p.pos
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: jString, off: off, str: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		for _, lit := range []struct {
			text string
			n    jnode
		}{{"true", jnode{kind: jBool, b: true}}, {"false", jnode{kind: jBool}}, {"null", jnode{kind: jNull}}} {
			if len(p.data)-p.pos >= len(lit.text) && string(p.data[p.pos:p.pos+len(lit.text)]) == lit.text {
				n := lit.n
				n.off = p.pos
				p.pos += len(lit.text)
				return &n, nil
			}
		}
		return nil, p.errf("unexpected %s, want a value", p.desc())
	}
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errf("nesting deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jparser) object() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &jnode{kind: jObject, off: p.pos}
	p.pos++ // {
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	seen := map[string]bool{}
	for {
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errf("unexpected %s, want a field name", p.desc())
		}
		nameOff := p.pos
		name, err := p.string()
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, &jsonSyntaxError{nameOff, fmt.Sprintf("duplicate field %q", name)}
		}
		seen[name] = true
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errf("unexpected %s, want ':'", p.desc())
		}
		p.pos++
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, jmember{name: name, nameOff: nameOff, val: v})
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of file, want ',' or '}'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return n, nil
		default:
			return nil, p.errf("unexpected %s, want ',' or '}'", p.desc())
		}
	}
}

func (p *jparser) array() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &jnode{kind: jArray, off: p.pos}
	p.pos++ // [
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of file, want ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return n, nil
		default:
			return nil, p.errf("unexpected %s, want ',' or ']'", p.desc())
		}
	}
}

// string scans a JSON string starting at p.pos (a '"') and decodes it.
func (p *jparser) string() (string, error) {
	start := p.pos
	i := p.pos + 1
	for i < len(p.data) {
		switch c := p.data[i]; {
		case c == '"':
			raw := p.data[start : i+1]
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", &jsonSyntaxError{start, "invalid string: " + trimJSONErr(err)}
			}
			p.pos = i + 1
			return s, nil
		case c == '\\':
			i += 2
		case c < 0x20:
			return "", &jsonSyntaxError{i, "control character in string"}
		default:
			i++
		}
	}
	return "", &jsonSyntaxError{start, "unterminated string"}
}

func (p *jparser) number() (*jnode, error) {
	start := p.pos
	i := p.pos
	digits := func() int {
		j := i
		for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
			i++
		}
		return i - j
	}
	if p.data[i] == '-' {
		i++
	}
	if i < len(p.data) && p.data[i] == '0' {
		i++
	} else if digits() == 0 {
		p.pos = i
		return nil, p.errf("invalid number")
	}
	if i < len(p.data) && p.data[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return nil, p.errf("invalid number")
		}
	}
	if i < len(p.data) && (p.data[i] == 'e' || p.data[i] == 'E') {
		i++
		if i < len(p.data) && (p.data[i] == '+' || p.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return nil, p.errf("invalid number")
		}
	}
	p.pos = i
	return &jnode{kind: jNumber, off: start, str: string(p.data[start:i])}, nil
}

func trimJSONErr(err error) string {
	s := err.Error()
	const prefix = "json: "
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return s
}

// lineCol converts a byte offset into a 1-based line and column; the column
// counts characters (runes), so it matches what editors show for UTF-8 text.
func lineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:off]) + 1
}
