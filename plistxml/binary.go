package plistxml

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"howett.net/plist"
)

// bplistMagic starts every binary property list ("bplist00"); howett.net/plist
// dispatches on the same six bytes.
var bplistMagic = []byte("bplist")

// maxBinaryValues bounds the number of values a binary plist may expand to.
// Objects can be shared, so a small file can describe an exponentially large
// tree ("billion laughs"); howett would expand it in full.
const maxBinaryValues = 1 << 20

// parseBinary decodes a bplist with howett.net/plist. Binary nodes carry
// NoSpan everywhere.
func parseBinary(d *Document) {
	d.Format = FormatBinary
	fail := func(code Code, why string) {
		d.Problems = []Problem{{Code: code, Severity: SevError, Span: NoSpan,
			Message: "corrupt binary property list: " + why + " (binary plists carry no positions, so this is reported on the whole file)"}}
	}
	if why, code := checkBplist(d.Src); why != "" {
		fail(code, why)
		return
	}
	v, err := decodeBinary(d.Src)
	if err != nil {
		fail(CodeSyntax, err.Error())
		return
	}
	d.Root = binNode(v, 1)
}

// CheckBinary tells whether a binary property list is safe to decode with
// howett.net/plist, which builds every value: it returns an error for one
// that is corrupt, contains itself, nests deeper than MaxDepth or expands,
// through shared objects, to more than a million values (a signed 900-byte
// profile can describe 2^40). Anything that is not a binary plist is left
// to the caller (nil). Other packages decoding property lists they did not
// write (profiles, bundles, projects) call it first.
func CheckBinary(data []byte) error {
	if !bytes.HasPrefix(data, bplistMagic) {
		return nil
	}
	if why, _ := checkBplist(data); why != "" {
		return fmt.Errorf("binary property list refused: %s", why)
	}
	return nil
}

// decodeBinary runs howett inside recover: it re-panics runtime errors
// (index out of range on hostile input), which must not take the server down.
func decodeBinary(src []byte) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = plist.Unmarshal(src, &v)
	return v, err
}

// binNode converts a value decoded by howett into a Node. Dict keys are
// sorted because a Go map has no order. checkBplist has bounded the
// number of values (shared objects included) and the depth.
func binNode(v any, depth int) *Node {
	n := &Node{Valid: true}
	n.setSpans(NoSpan, NoSpan, NoSpan.End, NoSpan.End)
	if depth > MaxDepth { // checkBplist rejects deeper files; belt and braces
		n.Valid = false
		return n
	}
	switch v := v.(type) {
	case map[string]any:
		n.Kind = Dict
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		entries := make([]*Entry, len(keys))
		for i, k := range keys {
			e := &Entry{Key: k, KeySpan: NoSpan, KeyText: NoSpan, Span: NoSpan}
			e.Value = binNode(v[k], depth+1)
			entries[i] = e
		}
		n.setEntries(entries)
	case []any:
		n.Kind = Array
		items := make([]*Node, len(v))
		for i, it := range v {
			items[i] = binNode(it, depth+1)
		}
		n.setItems(items)
	case string:
		n.Kind, n.Text = String, v
	case uint64:
		n.Kind = Integer
		if v > 1<<63-1 {
			n.rareValues().uint, n.IsUint = v, true
		} else {
			n.Int = int64(v)
		}
	case int64:
		n.Kind, n.Int, n.bits = Integer, v, n.bits|bitSigned
	case float64:
		n.Kind, n.rareValues().real = Real, v
	case float32:
		n.Kind, n.rareValues().real, n.bits = Real, float64(v), n.bits|bitSingle
	case bool:
		n.Kind = False
		if v {
			n.Kind = True
		}
	case time.Time:
		n.Kind, n.rareValues().date = Date, v
	case []byte:
		n.Kind, n.rareValues().data = Data, v
	case plist.UID:
		// keyed-archiver UIDs are written {CF$UID = n} in XML; ToValue maps it back
		n.Kind = Dict
		e := &Entry{Key: "CF$UID", KeySpan: NoSpan, KeyText: NoSpan, Span: NoSpan}
		e.Value = binNode(uint64(v), depth+1)
		n.setEntries([]*Entry{e})
	default:
		n.Kind, n.Valid = Invalid, false
		n.rareValues().name = n.Kind.String()
	}
	return n
}

// checkBplist walks the object graph of a binary plist before howett sees
// it, mirroring howett's reading of the format. It rejects what howett would
// choke on rather than report: cycles, nesting deeper than MaxDepth, and
// shared objects expanding past maxBinaryValues (howett's cycle check is also
// quadratic in depth). Anything it cannot read is reported as corrupt.
func checkBplist(buf []byte) (string, Code) {
	if len(buf) < 40 {
		return "the file is too short", CodeSyntax
	}
	if !bytes.HasPrefix(buf, []byte("bplist0")) || (buf[7] != '0' && buf[7] != '1') {
		return fmt.Sprintf("unsupported version %q", buf[:min(8, len(buf))]), CodeSyntax
	}
	tr := buf[len(buf)-32:]
	offSize, refSize := int(tr[6]), int(tr[7])
	num := binary.BigEndian.Uint64(tr[8:])
	top := binary.BigEndian.Uint64(tr[16:])
	table := binary.BigEndian.Uint64(tr[24:])
	trailerAt := uint64(len(buf) - 32)
	switch {
	case offSize < 1 || offSize > 8 || refSize < 1 || refSize > 8:
		return "invalid integer sizes in the trailer", CodeSyntax
	case table < 9 || table >= trailerAt:
		return "the offset table is outside the file", CodeSyntax
	case num == 0 || num > (trailerAt-table)/uint64(offSize):
		return "the offset table is too short for the object count", CodeSyntax
	case top >= num:
		return "the top object is out of range", CodeSyntax
	}
	readUint := func(off uint64, n int) (uint64, bool) {
		if off > uint64(len(buf)) || uint64(len(buf))-off < uint64(n) {
			return 0, false
		}
		var v uint64
		for _, c := range buf[off : off+uint64(n)] {
			v = v<<8 | uint64(c)
		}
		return v, true
	}
	// objectAt returns the offset of object i and, for containers, where its
	// references start and how many there are.
	objectAt := func(i uint64) (refs uint64, count uint64, container bool, ok bool) {
		off, ok := readUint(table+i*uint64(offSize), offSize)
		if !ok || off >= table {
			return 0, 0, false, false
		}
		tag := buf[off]
		if tag&0xF0 != 0xA0 && tag&0xF0 != 0xD0 {
			return 0, 0, false, true
		}
		count, start := uint64(tag&0x0F), off+1
		if count == 0x0F {
			if start >= table {
				return 0, 0, false, false
			}
			nb := 1 << (buf[start] & 0x0F)
			if nb > 8 {
				return 0, 0, false, false
			}
			if count, ok = readUint(start+1, nb); !ok {
				return 0, 0, false, false
			}
			start += 1 + uint64(nb)
		}
		if tag&0xF0 == 0xD0 {
			if count > 1<<62 {
				return 0, 0, false, false
			}
			count *= 2
		}
		if start > table || count > (table-start)/uint64(refSize) {
			return 0, 0, false, false
		}
		return start, count, true, true
	}

	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, num)
	size := make([]uint32, num) // values the object expands to, saturating
	type item struct {
		obj, refs, count, next uint64
		size                   uint64
	}
	refs, count, container, ok := objectAt(top)
	if !ok {
		return "an object offset is out of range", CodeSyntax
	}
	if !container {
		return "", ""
	}
	stack := []item{{obj: top, refs: refs, count: count, size: 1}}
	color[top] = grey
	for len(stack) > 0 {
		it := &stack[len(stack)-1]
		if it.next == it.count {
			color[it.obj] = black
			size[it.obj] = uint32(min(it.size, maxBinaryValues+1))
			s := it.size
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].size += s
			}
			if s > maxBinaryValues {
				return fmt.Sprintf("it expands to more than %d values", maxBinaryValues), CodeLimit
			}
			continue
		}
		ref, ok := readUint(it.refs+it.next*uint64(refSize), refSize)
		it.next++
		if !ok || ref >= num {
			return "an object reference is out of range", CodeSyntax
		}
		switch color[ref] {
		case grey:
			return "a collection contains itself", CodeSyntax
		case black:
			it.size += uint64(size[ref])
			if it.size > maxBinaryValues {
				return fmt.Sprintf("it expands to more than %d values", maxBinaryValues), CodeLimit
			}
			continue
		}
		r, c, isContainer, ok := objectAt(ref)
		if !ok {
			return "an object offset is out of range", CodeSyntax
		}
		if !isContainer {
			color[ref], size[ref] = black, 1
			it.size++
			continue
		}
		if len(stack) >= MaxDepth {
			return fmt.Sprintf("it is nested deeper than %d levels", MaxDepth), CodeLimit
		}
		color[ref] = grey
		stack = append(stack, item{obj: ref, refs: r, count: c, size: 1})
	}
	return "", ""
}
