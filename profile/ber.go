package profile

import (
	"bytes"
	"errors"
)

// Limits of checkBER. A real profile's CMS structure nests about a dozen
// levels deep and holds a few hundred ASN.1 elements.
const (
	maxDepth    = 48
	maxElements = 100_000
	// maxScan bounds the bytes the BER-to-DER conversion scans looking for
	// end-of-contents markers of indefinite-length elements.
	maxScan = 32 << 20
)

var (
	errTruncated = errors.New("truncated")
	errCorrupt   = errors.New("corrupt")
)

// checkBER walks the tag-length-value structure of the first element of
// data, the way the pkcs7 library's BER-to-DER conversion reads it, and
// refuses what would make that conversion misbehave: that conversion does
// not check that an element's children stay inside it, so crafted lengths
// make it re-read the same bytes over and over (seconds to minutes for a few
// kilobytes, found by FuzzParseProfile). Well-nested input, which every real
// profile is, is converted in linear time.
func checkBER(data []byte) error {
	w := berWalker{data: data}
	_, err := w.element(0, len(data), 0)
	return err
}

type berWalker struct {
	data     []byte
	elements int
	scanned  int
}

// element reads the element at off, which must end by end, and returns the
// offset just after it.
func (w *berWalker) element(off, end, depth int) (int, error) {
	data := w.data
	if depth > maxDepth {
		return 0, errors.New("nested too deeply")
	}
	if w.elements++; w.elements > maxElements {
		return 0, errors.New("too many elements")
	}
	if off >= end {
		return 0, errTruncated
	}
	first := data[off]
	off++
	if first&0x1f == 0x1f { // high tag number form
		n := 0
		for ; off < end && data[off] >= 0x80; off++ {
			if n++; n > 4 {
				return 0, errCorrupt
			}
		}
		off++
	}
	if off >= end {
		return 0, errTruncated
	}
	constructed := first&0x20 != 0
	l := data[off]
	off++
	switch {
	case l == 0x80:
		if !constructed {
			return 0, errCorrupt
		}
		return w.indefinite(off, end, depth)
	case l > 0x80:
		n := int(l & 0x7f)
		if n > 4 || off+n > end {
			if off+n > len(data) {
				return 0, errTruncated
			}
			return 0, errCorrupt
		}
		if data[off] == 0 || n == 4 && data[off] > 0x7f {
			return 0, errCorrupt
		}
		length := 0
		for i := 0; i < n; i++ {
			length = length<<8 | int(data[off])
			off++
		}
		return w.definite(off, length, end, constructed, depth)
	}
	return w.definite(off, int(l), end, constructed, depth)
}

func (w *berWalker) definite(off, length, end int, constructed bool, depth int) (int, error) {
	contentEnd := off + length
	if contentEnd > end {
		if contentEnd > len(w.data) {
			return 0, errTruncated
		}
		return 0, errCorrupt // a child longer than its parent
	}
	if constructed {
		for off < contentEnd {
			var err error
			if off, err = w.element(off, contentEnd, depth+1); err != nil {
				return 0, err
			}
		}
	}
	return contentEnd, nil
}

// indefinite reads children up to the end-of-contents marker (two zero
// bytes), checked after each child as the library does.
func (w *berWalker) indefinite(off, end, depth int) (int, error) {
	for {
		var err error
		if off, err = w.element(off, end, depth+1); err != nil {
			return 0, err
		}
		if end-off < 2 {
			return 0, errTruncated
		}
		// The library looks for the marker with bytes.Index over the rest of
		// the input: count what that scans.
		if i := bytes.Index(w.data[off:], []byte{0, 0}); i < 0 {
			w.scanned += len(w.data) - off
		} else {
			w.scanned += i + 2
		}
		if w.scanned > maxScan {
			return 0, errors.New("too many end-of-contents markers to look for")
		}
		if w.data[off] == 0 && w.data[off+1] == 0 {
			return off + 2, nil
		}
	}
}
