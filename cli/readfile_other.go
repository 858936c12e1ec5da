//go:build !unix

package cli

// readRegularFile leaves every file to the general reader outside Unix.
func readRegularFile(path string, limit int64) (data []byte, size int64, done bool, err error) {
	return nil, 0, false, nil
}
