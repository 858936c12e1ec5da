package machotest

import (
	"bytes"
	"debug/macho"
	"errors"
	"fmt"
)

// Resign replaces the code signature of a thin 64-bit Mach-O (one the Go
// linker signed ad hoc, say) with sig: the old signature is cut off, sig
// is appended at its offset, and LC_CODE_SIGNATURE and __LINKEDIT are
// updated to cover it.
func Resign(bin, sig []byte) ([]byte, error) {
	f, err := macho.NewFile(bytes.NewReader(bin))
	if err != nil {
		return nil, err
	}
	if f.Magic != macho.Magic64 {
		return nil, errors.New("machotest: Resign handles 64-bit Mach-O files only")
	}
	bo := f.ByteOrder
	out := append([]byte{}, bin...)
	off := 32 // mach_header_64
	var sigCmd, linkCmd = -1, -1
	for i := 0; i < int(f.Ncmd); i++ {
		cmd, size := bo.Uint32(out[off:]), int(bo.Uint32(out[off+4:]))
		switch {
		case cmd == 0x1d:
			sigCmd = off
		case cmd == 0x19 && string(bytes.TrimRight(out[off+8:off+24], "\x00")) == "__LINKEDIT":
			linkCmd = off
		}
		off += size
	}
	if sigCmd < 0 || linkCmd < 0 {
		return nil, fmt.Errorf("machotest: no LC_CODE_SIGNATURE (%d) or __LINKEDIT (%d)", sigCmd, linkCmd)
	}
	dataoff := int(bo.Uint32(out[sigCmd+8:]))
	if dataoff > len(out) {
		return nil, errors.New("machotest: signature offset past the end")
	}
	out = append(out[:dataoff], sig...)
	bo.PutUint32(out[sigCmd+12:], uint32(len(sig)))
	linkOff := bo.Uint64(out[linkCmd+40:])
	filesize := uint64(len(out)) - linkOff
	bo.PutUint64(out[linkCmd+32:], uint64(align(int(filesize), 0x4000))) // vmsize
	bo.PutUint64(out[linkCmd+48:], filesize)
	return out, nil
}
