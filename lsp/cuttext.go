package lsp

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// cutDocumentText takes the document text out of a didOpen or didChange
// frame: it returns the frame with every text replaced by "" and the last
// text decoded. It reports false for any other frame, and whenever anything
// is unusual (escapes it does not handle the way encoding/json does,
// invalid UTF-8, duplicate keys): the frame then takes the normal path.
func cutDocumentText(frame []byte) ([]byte, []byte, bool) {
	var method, params span
	ok := objectFields(frame, 0, func(key []byte, v span) bool {
		switch string(key) {
		case "method":
			if method.set() {
				return false
			}
			method = v
		case "params":
			if params.set() {
				return false
			}
			params = v
		}
		return true
	})
	if !ok || !method.set() || !params.set() {
		return nil, nil, false
	}
	var texts []span
	switch string(frame[method.start:method.end]) {
	case `"textDocument/didChange"`:
		ok = objectFields(frame, params.start, func(key []byte, v span) bool {
			if string(key) != "contentChanges" {
				return true
			}
			if texts != nil {
				return false
			}
			texts = []span{}
			return arrayItems(frame, v.start, func(item span) bool {
				var text span
				good := objectFields(frame, item.start, func(key []byte, v span) bool {
					if string(key) == "text" {
						if text.set() || frame[v.start] != '"' {
							return false
						}
						text = v
					}
					return true
				})
				if good && text.set() {
					texts = append(texts, text)
				}
				return good
			})
		})
	case `"textDocument/didOpen"`:
		ok = objectFields(frame, params.start, func(key []byte, v span) bool {
			if string(key) != "textDocument" {
				return true
			}
			if texts != nil {
				return false
			}
			texts = []span{}
			return objectFields(frame, v.start, func(key []byte, v span) bool {
				if string(key) == "text" {
					if len(texts) > 0 || frame[v.start] != '"' {
						return false
					}
					texts = append(texts, v)
				}
				return true
			})
		})
	default:
		return nil, nil, false
	}
	if !ok || len(texts) == 0 {
		return nil, nil, false
	}
	last := texts[len(texts)-1]
	text, ok := unquote(frame[last.start:last.end])
	if !ok {
		return nil, nil, false
	}
	small := make([]byte, 0, 1024)
	prev := 0
	for _, t := range texts {
		small = append(small, frame[prev:t.start]...)
		small = append(small, `""`...)
		prev = t.end
	}
	small = append(small, frame[prev:]...)
	return small, text, true
}

// span is a JSON value's bytes in a frame.
type span struct{ start, end int }

func (s span) set() bool { return s.end > 0 }

// The scanner below only finds where values start and end; the small frame
// is still decoded and validated by jsonrpc2 afterwards.

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, bool) {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return 0, false
		}
		i += j
		bs := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			bs++
		}
		i++
		if bs%2 == 0 {
			return i, true
		}
	}
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{':
		return walkObject(b, i, func([]byte, span) bool { return true })
	case '[':
		return walkArray(b, i, func(span) bool { return true })
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j, j > i
		}
		j++
	}
	return j, j > i
}

// objectFields calls f with each member of the object at b[i] (after white
// space), until f returns false. Keys are raw: only keys without escapes
// match a plain name.
func objectFields(b []byte, i int, f func(key []byte, v span) bool) bool {
	_, ok := walkObject(b, skipSpace(b, i), f)
	return ok
}

// arrayItems calls f with each item of the array at b[i].
func arrayItems(b []byte, i int, f func(v span) bool) bool {
	_, ok := walkArray(b, skipSpace(b, i), f)
	return ok
}

// walkObject walks the object at b[i] and returns the index after it.
func walkObject(b []byte, i int, f func(key []byte, v span) bool) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, false
		}
		kEnd, ok := skipString(b, i)
		if !ok {
			return 0, false
		}
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return 0, false
		}
		i = skipSpace(b, i+1)
		vEnd, ok := skipValue(b, i)
		if !ok || !f(key, span{i, vEnd}) {
			return 0, false
		}
		i = skipSpace(b, vEnd)
		switch {
		case i >= len(b):
			return 0, false
		case b[i] == '}':
			return i + 1, true
		case b[i] != ',':
			return 0, false
		}
		i = skipSpace(b, i+1)
	}
}

// walkArray walks the array at b[i] and returns the index after it.
func walkArray(b []byte, i int, f func(v span) bool) (int, bool) {
	if i >= len(b) || b[i] != '[' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		end, ok := skipValue(b, i)
		if !ok || !f(span{i, end}) {
			return 0, false
		}
		i = skipSpace(b, end)
		switch {
		case i >= len(b):
			return 0, false
		case b[i] == ']':
			return i + 1, true
		case b[i] != ',':
			return 0, false
		}
		i = skipSpace(b, i+1)
	}
}

// unquote decodes a JSON string literal. It refuses what encoding/json
// would decode differently or reject (control characters, invalid UTF-8,
// unpaired surrogates, unknown escapes): the caller falls back to it.
func unquote(lit []byte) ([]byte, bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, false
	}
	s := lit[1 : len(lit)-1]
	// One pass that checks and copies: escapes come every few dozen bytes
	// in a document (every newline and tab is one), and finding each with
	// bytes.IndexByte, then copying the run, cost a call per line.
	// Decoding never makes the text longer, so out never grows.
	out := make([]byte, len(s))
	w := 0
	var high byte // OR of all bytes: bit 7 set means non-ASCII
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '\\' {
			out[w] = c
			w++
			i++
			high |= c
			continue
		}
		if c < 0x20 || i+1 >= len(s) {
			return nil, false // encoding/json rejects raw control characters
		}
		c = s[i+1]
		i += 2
		switch c {
		case '"', '\\', '/':
			out[w] = c
		case 'n':
			out[w] = '\n'
		case 't':
			out[w] = '\t'
		case 'r':
			out[w] = '\r'
		case 'b':
			out[w] = '\b'
		case 'f':
			out[w] = '\f'
		case 'u':
			r, ok := hex4(s, i)
			if !ok {
				return nil, false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
					return nil, false
				}
				r2, ok := hex4(s, i+2)
				if !ok {
					return nil, false
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return nil, false
				}
				i += 6
			}
			w += utf8.EncodeRune(out[w:], r)
			continue
		default:
			return nil, false
		}
		w++
	}
	out = out[:w:w]
	if high >= 0x80 && !utf8.Valid(out) {
		return nil, false
	}
	return out, true
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
