//go:build unix

package cli

import (
	"io"
	"io/fs"
	"syscall"
)

// readRegularFile reads a regular file with four system calls (open, fstat,
// one read, close) into a buffer of its size. os.Open costs seven more on Linux
// (it tries, and fails, to register a regular file with the network poller,
// switching it to non-blocking and back), and io.ReadAll grows its buffer
// from 512 bytes: over 10,000 files that was most of the system time.
//
// Other files (a FIFO, a device) are read from the same descriptor, up to
// the limit, as the general reader would. They must not be opened twice:
// opening a FIFO pairs it with its writer, and closing that descriptor
// before opening it again lost what the writer wrote and left the second
// open waiting for a writer that had gone. (The open blocks, as the
// general reader's does, until a FIFO has a writer.)
//
// done is false when the caller should read the file the general way: it
// grew while being read.
func readRegularFile(path string, limit int64) (data []byte, size int64, done bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, true, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := fstat(fd, &st); err != nil {
		return nil, 0, true, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		data, size, err := readLimited(fdReader{fd}, limit)
		if err != nil {
			err = &fs.PathError{Op: "read", Path: path, Err: err}
		}
		return data, size, true, err
	}
	if st.Size > limit {
		return nil, st.Size, true, nil
	}
	// One byte more than the size: a file that grew since fstat fills the
	// buffer, and is read again the general way.
	buf := make([]byte, st.Size+1)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, true, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		n += m
		// Having all of the size fstat gave, and not the extra byte, is the
		// end of the file: no read to see zero bytes.
		if m == 0 || n == int(st.Size) {
			return buf[:n:n], int64(n), true, nil
		}
	}
	return nil, 0, false, nil
}

// fdReader reads a descriptor with read(2), retrying when interrupted.
type fdReader struct{ fd int }

func (r fdReader) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(r.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func fstat(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
