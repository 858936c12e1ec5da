package lsp

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// cutResult is what cutDocumentText made of a frame.
type cutResult uint8

const (
	// cutRefused: not a document text it handles (another method, invalid
	// UTF-8, duplicate keys, …). The frame is unchanged and takes the
	// normal path.
	cutRefused cutResult = iota
	// cutDone: the text was cut out and decoded.
	cutDone
	// cutInvalid: the text is not valid JSON, so neither is the frame,
	// and part of it was decoded in place: drop it, as the normal path
	// would.
	cutInvalid
)

// cutDocumentText takes the document text out of a didOpen or didChange
// frame: it returns the frame with every text replaced by "" and the last
// text, decoded in place (the frame is then no longer JSON). A didChange is
// cut only when its last change replaces the whole text (no range): an
// edit must reach the server with its text, to be applied (textsync).
func cutDocumentText(frame []byte) ([]byte, []byte, cutResult) {
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
		return nil, nil, cutRefused
	}
	var texts []span
	lastIsWhole := false // didChange: the last change replaces the whole document
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
				ranged := false
				good := objectFields(frame, item.start, func(key []byte, v span) bool {
					switch string(key) {
					case "text":
						if text.set() || frame[v.start] != '"' {
							return false
						}
						text = v
					case "range":
						ranged = true
					}
					return true
				})
				if good && text.set() {
					texts = append(texts, text)
				}
				lastIsWhole = !ranged && text.set()
				return good
			})
		})
		// Only a whole text can be cut: an edit (a change with a range,
		// or without a text) is applied to the document by the server.
		ok = ok && lastIsWhole
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
		return nil, nil, cutRefused
	}
	if !ok || len(texts) == 0 {
		return nil, nil, cutRefused
	}
	last := texts[len(texts)-1]
	text, res := unquote(frame[last.start:last.end])
	if res != cutDone {
		return nil, nil, res
	}
	// The small frame keeps what is outside the texts, which decoding in
	// place did not touch.
	small := make([]byte, 0, 1024)
	prev := 0
	for _, t := range texts {
		small = append(small, frame[prev:t.start]...)
		small = append(small, `""`...)
		prev = t.end
	}
	small = append(small, frame[prev:]...)
	return small, text, cutDone
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

// unquote decodes a JSON string literal the way encoding/json does, in
// place: the text is the frame's own bytes, so a change costs no second
// copy of the document (5 MB of garbage per keystroke in a 5 MB file).
// Decoding never makes the text longer, so the output never overtakes the
// input.
//
// Literals with invalid UTF-8 are refused before anything is written
// (encoding/json replaces each bad byte with a longer U+FFFD): the caller
// takes the normal path with lit unchanged. A literal that is not valid
// JSON (a raw control character, an unknown escape) is found only once
// part of it is decoded: lit is then overwritten and the message must be
// dropped, as the normal path would drop it.
func unquote(lit []byte) ([]byte, cutResult) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, cutRefused
	}
	s := lit[1 : len(lit)-1]
	if !utf8.Valid(s) {
		return nil, cutRefused
	}
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			s[w] = c // valid UTF-8 is copied as is, as encoding/json re-encodes it
			w++
			i++
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			return nil, cutInvalid // encoding/json rejects raw control characters
		}
		switch s[i+1] {
		case '"', '\\', '/':
			s[w] = s[i+1]
		case 'n':
			s[w] = '\n'
		case 't':
			s[w] = '\t'
		case 'r':
			s[w] = '\r'
		case 'b':
			s[w] = '\b'
		case 'f':
			s[w] = '\f'
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				return nil, cutInvalid
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A valid pair is one character; anything else, like a
				// lone half, is U+FFFD (and what follows is read anew).
				r2, ok := rune(-1), false
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4(s, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			w += utf8.EncodeRune(s[w:], r) // at most 4 bytes for 6 or 12 read
			continue
		default:
			return nil, cutInvalid
		}
		w++
		i += 2
	}
	return s[:w:w], cutDone
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
