package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// `entitlint fix` under faults: whatever fails, the file keeps its exact
// bytes, no temporary file is left behind, the exit code is 2 and the
// message says what failed and that the file was not changed.

const brokenExample = "../testdata/examples/Broken.entitlements"

// brokenFile copies the broken example (it has safe fixes) to dir/name.
func brokenFile(t *testing.T, dir, name string) (string, []byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	copyFile(t, brokenExample, path, 0o644)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, data
}

// injectFaults lets a test set writeFaults; they are cleared afterwards.
func injectFaults(t *testing.T) {
	t.Helper()
	saved := writeFaults
	t.Cleanup(func() { writeFaults = saved })
}

// noTempFiles fails if writeAtomic left a temporary file in any of dirs.
func noTempFiles(t *testing.T, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), ".entitlint-") {
				t.Errorf("temporary file left behind: %s", filepath.Join(dir, e.Name()))
			}
		}
	}
}

// failedFix runs fix on path and checks the outcome of a failed write.
func failedFix(t *testing.T, path string, want []byte, message string, dirs ...string) {
	t.Helper()
	out, errOut, code := run(t, "", "fix", path)
	if code != ExitUsage {
		t.Errorf("exit %d, want %d; stderr %q", code, ExitUsage, errOut)
	}
	if !strings.Contains(errOut, message) {
		t.Errorf("stderr %q, want %q", errOut, message)
	}
	if strings.Contains(errOut, "applied") || strings.Contains(out, "applied") {
		t.Errorf("fix claims to have applied something: %s %s", out, errOut)
	}
	got, err := os.ReadFile(path)
	switch {
	case want == nil && !errors.Is(err, fs.ErrNotExist):
		t.Errorf("the file exists again: %v", err)
	case want != nil && !bytes.Equal(got, want):
		t.Errorf("the file changed:\n%s", got)
	}
	noTempFiles(t, dirs...)
}

// TestFixReadOnlyDirectory: the temporary file cannot be created. Root
// ignores directory permissions, so as root the failure is injected.
func TestFixReadOnlyDirectory(t *testing.T) {
	dir := t.TempDir()
	path, orig := brokenFile(t, dir, "App.entitlements")
	if os.Geteuid() == 0 || runtime.GOOS == "windows" {
		injectFaults(t)
		writeFaults.createTemp = func(dir, pattern string) (*os.File, error) {
			return nil, &fs.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: fs.ErrPermission}
		}
	} else {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	failedFix(t, path, orig, "cannot create a temporary file in "+dir+": permission denied; the file was not changed", dir)
}

// TestFixDiskFull: the disk fills up half way through the temporary file.
func TestFixDiskFull(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    func(data []byte) int // bytes written before the failure
		err  error
		msg  string
	}{
		{"half written", func(d []byte) int { return len(d) / 2 }, syscall.ENOSPC, "cannot write the fixed file: no space left on device; the file was not changed"},
		{"nothing written", func([]byte) int { return 0 }, syscall.EIO, "cannot write the fixed file: input/output error; the file was not changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" {
				t.Skip("errno texts differ")
			}
			dir := t.TempDir()
			path, orig := brokenFile(t, dir, "App.entitlements")
			injectFaults(t)
			writeFaults.write = func(f *os.File, data []byte) (int, error) {
				n, err := f.Write(data[:tc.n(data)])
				if err != nil {
					return n, err
				}
				return n, &fs.PathError{Op: "write", Path: f.Name(), Err: tc.err}
			}
			failedFix(t, path, orig, tc.msg, dir)
		})
	}
}

// TestFixRenameFails: the last step, the rename over the original, fails.
func TestFixRenameFails(t *testing.T) {
	dir := t.TempDir()
	path, orig := brokenFile(t, dir, "App.entitlements")
	injectFaults(t)
	writeFaults.rename = func(oldpath, newpath string) error {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EXDEV}
	}
	failedFix(t, path, orig, "cannot replace the file: "+syscall.EXDEV.Error()+"; the file was not changed", dir)
}

// TestFixFileChangedMeanwhile: someone saves the file (or deletes it)
// between the read and the write; their version wins.
func TestFixFileChangedMeanwhile(t *testing.T) {
	const msg = "the file changed while it was being fixed; nothing written, run fix again"
	t.Run("edited", func(t *testing.T) {
		dir := t.TempDir()
		path, orig := brokenFile(t, dir, "App.entitlements")
		edited := append(bytes.Clone(orig), "<!-- saved by the editor -->\n"...)
		injectFaults(t)
		writeFaults.beforeReplace = func(target string) {
			if err := os.WriteFile(target, edited, 0o644); err != nil {
				t.Error(err)
			}
		}
		failedFix(t, path, edited, msg, dir)
	})
	t.Run("deleted", func(t *testing.T) {
		dir := t.TempDir()
		path, _ := brokenFile(t, dir, "App.entitlements")
		injectFaults(t)
		writeFaults.beforeReplace = func(target string) {
			if err := os.Remove(target); err != nil {
				t.Error(err)
			}
		}
		failedFix(t, path, nil, msg, dir)
	})
	t.Run("same size, same time", func(t *testing.T) {
		// Compared by content, not by size or modification time.
		dir := t.TempDir()
		path, orig := brokenFile(t, dir, "App.entitlements")
		edited := bytes.Replace(orig, []byte("<dict>"), []byte("<dicT>"), 1)
		st, _ := os.Stat(path)
		injectFaults(t)
		writeFaults.beforeReplace = func(target string) {
			os.WriteFile(target, edited, 0o644)
			os.Chtimes(target, st.ModTime(), st.ModTime())
		}
		failedFix(t, path, edited, msg, dir)
	})
}

// symlink makes link point at target (relative or absolute as given).
func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// TestFixSymlinks: the link stays a link (same target text), the file it
// points at is fixed, and the temporary file is made next to that file, so
// that the rename never crosses file systems.
func TestFixSymlinks(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup returns the path to fix, the real file, and the directories
		// to check for temporary files.
		setup func(t *testing.T, root string) (link, real string, dirs []string)
	}{
		{"relative, same directory", func(t *testing.T, root string) (string, string, []string) {
			real, _ := brokenFile(t, root, "real.entitlements")
			symlink(t, "real.entitlements", filepath.Join(root, "App.entitlements"))
			return filepath.Join(root, "App.entitlements"), real, []string{root}
		}},
		{"relative, another directory", func(t *testing.T, root string) (string, string, []string) {
			a, b := filepath.Join(root, "app"), filepath.Join(root, "shared", "sub")
			os.MkdirAll(a, 0o755)
			os.MkdirAll(b, 0o755)
			real, _ := brokenFile(t, b, "Shared.entitlements")
			symlink(t, filepath.Join("..", "shared", "sub", "Shared.entitlements"), filepath.Join(a, "App.entitlements"))
			return filepath.Join(a, "App.entitlements"), real, []string{a, b}
		}},
		{"absolute, another directory", func(t *testing.T, root string) (string, string, []string) {
			a, b := filepath.Join(root, "app"), filepath.Join(root, "elsewhere")
			os.MkdirAll(a, 0o755)
			os.MkdirAll(b, 0o755)
			real, _ := brokenFile(t, b, "Real.entitlements")
			symlink(t, real, filepath.Join(a, "App.entitlements"))
			return filepath.Join(a, "App.entitlements"), real, []string{a, b}
		}},
		{"chain through a linked directory", func(t *testing.T, root string) (string, string, []string) {
			b := filepath.Join(root, "real")
			os.MkdirAll(b, 0o755)
			real, _ := brokenFile(t, b, "Real.entitlements")
			symlink(t, "real", filepath.Join(root, "linkdir"))
			symlink(t, filepath.Join("linkdir", "Real.entitlements"), filepath.Join(root, "hop.entitlements"))
			symlink(t, "hop.entitlements", filepath.Join(root, "App.entitlements"))
			return filepath.Join(root, "App.entitlements"), real, []string{root, b}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			link, real, dirs := tc.setup(t, root)
			linkText, _ := os.Readlink(link)
			var tempDir string
			injectFaults(t)
			writeFaults.createTemp = func(dir, pattern string) (*os.File, error) {
				tempDir = dir
				return os.CreateTemp(dir, pattern)
			}
			_, errOut, code := run(t, "", "fix", link)
			if code == ExitUsage || !strings.Contains(errOut, "applied") {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the link was replaced by a file")
			}
			if now, _ := os.Readlink(link); now != linkText {
				t.Errorf("the link now points at %q, was %q", now, linkText)
			}
			data, _ := os.ReadFile(real)
			if bytes.Contains(data, []byte("com.apple.developer.app-groups")) {
				t.Errorf("the link's target was not fixed")
			}
			if want, _ := filepath.EvalSymlinks(filepath.Dir(real)); tempDir != want {
				t.Errorf("temporary file made in %s, want the target's directory %s", tempDir, want)
			}
			noTempFiles(t, dirs...)
		})
	}

	t.Run("disk full, target in another directory", func(t *testing.T) {
		root := t.TempDir()
		a, b := filepath.Join(root, "app"), filepath.Join(root, "shared")
		os.MkdirAll(a, 0o755)
		os.MkdirAll(b, 0o755)
		real, orig := brokenFile(t, b, "Shared.entitlements")
		link := filepath.Join(a, "App.entitlements")
		symlink(t, "../shared/Shared.entitlements", link)
		injectFaults(t)
		writeFaults.write = func(f *os.File, data []byte) (int, error) {
			return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
		}
		failedFix(t, link, orig, "no space left on device; the file was not changed", a, b)
		if got, _ := os.ReadFile(real); !bytes.Equal(got, orig) {
			t.Errorf("the target changed")
		}
		if now, _ := os.Readlink(link); now != "../shared/Shared.entitlements" {
			t.Errorf("the link changed: %q", now)
		}
	})
	t.Run("dangling", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "App.entitlements")
		symlink(t, "missing.entitlements", link)
		_, errOut, code := run(t, "", "fix", link)
		if code != ExitUsage || !strings.Contains(errOut, "no such file or directory") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "missing.entitlements")); err == nil {
			t.Errorf("fix created the link's target")
		}
		noTempFiles(t, dir)
	})
	t.Run("loop", func(t *testing.T) {
		dir := t.TempDir()
		symlink(t, "b.entitlements", filepath.Join(dir, "a.entitlements"))
		symlink(t, "a.entitlements", filepath.Join(dir, "b.entitlements"))
		_, errOut, code := run(t, "", "fix", filepath.Join(dir, "a.entitlements"))
		if code != ExitUsage || errOut == "" {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		noTempFiles(t, dir)
	})
}

// TestFixLongName: a file whose name is as long as the file system allows
// is fixed (the temporary file's name is kept short).
func TestFixLongName(t *testing.T) {
	dir := t.TempDir()
	name := strings.Repeat("権限", 40) + ".entitlements" // 253 bytes
	path, orig := brokenFile(t, dir, name)
	_, errOut, code := run(t, "", "fix", path)
	if code == ExitUsage || !strings.Contains(errOut, "applied") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if now, _ := os.ReadFile(path); bytes.Equal(now, orig) {
		t.Error("not fixed")
	}
	noTempFiles(t, dir)
}
