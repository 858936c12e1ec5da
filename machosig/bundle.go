package machosig

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"howett.net/plist"

	"github.com/entitlint/entitlint/plistxml"
)

// Limits bound what reading a bundle or an archive may cost. Directories
// are read in place (executables are not loaded into memory); archive
// entries are decompressed into memory, so they count against MaxFile and
// MaxTotal.
type Limits struct {
	// MaxFile is the largest archive entry decompressed (an executable).
	MaxFile int64
	// MaxTotal is the most an archive may decompress to, all entries
	// together (zip bombs stop here).
	MaxTotal int64
	// MaxTargets bounds the bundles read (the app and its extensions).
	MaxTargets int
}

// DefaultLimits are generous for real apps: the largest main executables
// are a few hundred megabytes.
var DefaultLimits = Limits{MaxFile: 384 << 20, MaxTotal: 512 << 20, MaxTargets: 256}

// Sizes of the small files a bundle holds.
const (
	maxInfoPlist  = 4 << 20
	maxProfile    = 4 << 20 // profile.MaxSize
	maxNesting    = 3       // app → watch app → its extensions
	maxDirEntries = 10000   // read from one PlugIns/… directory
)

// Target is one signed bundle: an app, or an extension, system extension,
// XPC service, login item, watch app or App Clip embedded in it. Each is
// signed separately, with its own entitlements and provisioning profile.
type Target struct {
	// Path names the bundle: the path given for the app, then the bundle's
	// path inside it ("MyApp.app/Contents/PlugIns/Widget.appex"); for an
	// archive, the archive path then the entry ("MyApp.ipa/Payload/MyApp.app").
	Path string
	// Kind is the bundle's extension: "app", "appex", "systemextension", "xpc".
	Kind string
	// InfoPlist is the bundle's Info.plist as stored (XML or binary), and
	// InfoPlistPath its path named like Path.
	InfoPlist     []byte
	InfoPlistPath string
	// BundleID is CFBundleIdentifier ("" when absent).
	BundleID string
	// Executable is the main executable's path, named like Path.
	Executable string
	// Binary is the decoded executable; nil when Err is set.
	Binary *File
	// Profile is the embedded provisioning profile's bytes, nil when the
	// bundle has none (a Mac app signed without restricted entitlements).
	Profile     []byte
	ProfilePath string
	// Err says why the bundle's executable could not be read.
	Err error
}

// Bundle is what was read from an app or an archive.
type Bundle struct {
	Targets []Target
	// Warnings are things skipped on the way (unsafe archive names, too
	// many bundles…).
	Warnings []string
}

// ReadApp reads an app bundle directory (.app, or an .appex,
// .systemextension or .xpc given on its own) and the bundles embedded in
// it. Nothing is written; executables are read in place.
func ReadApp(dir string, lim Limits) (*Bundle, error) {
	lim = lim.orDefault()
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("not a bundle directory")
	}
	display := strings.TrimRight(filepath.ToSlash(dir), "/")
	if display == "" {
		display = "/"
	}
	r := &reader{src: dirSource{root: dir}, lim: lim, b: &Bundle{}}
	r.bundle(".", display, 0)
	return r.b, nil
}

// ReadIPA reads an iOS app archive: the Payload/*.app bundles in it and the
// bundles embedded in those. Entries are decompressed in memory within the
// limits; nothing is written to disk, and entries with absolute or ".."
// names are ignored.
func ReadIPA(file string, lim Limits) (*Bundle, error) {
	lim = lim.orDefault()
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("not an .ipa: %v", err)
	}
	return readZip(zr, strings.TrimRight(filepath.ToSlash(file), "/"), lim)
}

func readZip(zr *zip.Reader, display string, lim Limits) (*Bundle, error) {
	src := &zipSource{files: map[string]*zip.File{}, dirs: map[string]map[string]bool{}, budget: lim.MaxTotal, total: lim.MaxTotal}
	unsafe := 0
	for _, zf := range zr.File {
		name := strings.TrimSuffix(zf.Name, "/")
		if !safeName(name) {
			unsafe++
			continue
		}
		if _, dup := src.files[name]; dup || src.dirs[name] != nil {
			continue
		}
		if !strings.HasSuffix(zf.Name, "/") {
			src.files[name] = zf
		}
		src.addParents(name)
	}
	b := &Bundle{}
	if unsafe > 0 {
		b.Warnings = append(b.Warnings, fmt.Sprintf("%d archive entries with absolute or \"..\" names ignored", unsafe))
	}
	apps := src.list("Payload")
	var found []string
	for _, a := range apps {
		if strings.HasSuffix(a, ".app") && src.isDir("Payload/"+a) {
			found = append(found, "Payload/"+a)
		}
	}
	if len(found) == 0 {
		return nil, errors.New("no Payload/*.app in the archive: not an .ipa")
	}
	r := &reader{src: src, lim: lim, b: b}
	for _, app := range found {
		r.bundle(app, display+"/"+app, 0)
	}
	return r.b, nil
}

// safeName accepts relative, clean, slash-separated archive names.
func safeName(name string) bool {
	return name != "" && name != "." && !strings.HasPrefix(name, "/") && !strings.ContainsAny(name, "\\\x00") &&
		path.Clean(name) == name && name != ".." && !strings.HasPrefix(name, "../") && !(len(name) > 1 && name[1] == ':')
}

func (l Limits) orDefault() Limits {
	if l.MaxFile <= 0 {
		l.MaxFile = DefaultLimits.MaxFile
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = DefaultLimits.MaxTotal
	}
	if l.MaxTargets <= 0 {
		l.MaxTargets = DefaultLimits.MaxTargets
	}
	return l
}

// source is a bundle's files: a directory or an archive. Names are
// slash-separated and relative to the source's root.
type source interface {
	isFile(name string) bool
	isDir(name string) bool // a real directory, not a link to one
	list(dir string) []string
	read(name string, limit int64) ([]byte, error)
	binary(name string, lim Limits) (*File, error)
}

type reader struct {
	src  source
	lim  Limits
	b    *Bundle
	full bool // MaxTargets reached (and said)
}

// Embedded bundle directories, relative to the bundle's content directory
// (Contents/ on macOS, the bundle itself on iOS).
var nestedMac = []struct{ dir, ext string }{
	{"PlugIns", ".appex"},
	{"Extensions", ".appex"},
	{"Library/SystemExtensions", ".systemextension"},
	{"XPCServices", ".xpc"},
	{"Library/LoginItems", ".app"},
}

var nestedIOS = []struct{ dir, ext string }{
	{"PlugIns", ".appex"},
	{"Extensions", ".appex"},
	{"Watch", ".app"},
	{"AppClips", ".app"},
}

// bundle reads the bundle at name (in the source) and those embedded in it.
func (r *reader) bundle(name, display string, depth int) {
	if len(r.b.Targets) >= r.lim.MaxTargets {
		if !r.full {
			r.full = true
			r.b.Warnings = append(r.b.Warnings, fmt.Sprintf("more than %d bundles: the rest are not read", r.lim.MaxTargets))
		}
		return
	}
	t := Target{Path: display, Kind: strings.TrimPrefix(path.Ext(display), ".")}
	// macOS bundles keep everything in Contents/ and the executable in
	// Contents/MacOS/; iOS-family bundles are flat.
	content, exeDir, nested := "", "", nestedIOS
	if r.src.isFile(path.Join(name, "Contents/Info.plist")) {
		content, exeDir, nested = "Contents/", "Contents/MacOS/", nestedMac
	}
	join := func(rel string) string { return path.Join(name, rel) }
	t.InfoPlistPath = display + "/" + content + "Info.plist"
	info, err := r.src.read(join(content+"Info.plist"), maxInfoPlist)
	if err != nil {
		t.Err = fmt.Errorf("%s: %v: not an app bundle", t.InfoPlistPath, err)
		r.b.Targets = append(r.b.Targets, t)
		return
	}
	t.InfoPlist = info
	var keys struct {
		ID         string `plist:"CFBundleIdentifier"`
		Executable string `plist:"CFBundleExecutable"`
	}
	if err := decodePlist(info, &keys); err != nil {
		t.Err = fmt.Errorf("%s: %v", t.InfoPlistPath, err)
		r.b.Targets = append(r.b.Targets, t)
		return
	}
	t.BundleID = keys.ID
	exe := keys.Executable
	if exe == "" {
		// Xcode names the executable after the product.
		base := path.Base(display)
		exe = strings.TrimSuffix(base, path.Ext(base))
	}
	t.Executable = display + "/" + exeDir + exe
	for _, p := range []string{"embedded.provisionprofile", "embedded.mobileprovision"} {
		if r.src.isFile(join(content + p)) {
			t.ProfilePath = display + "/" + content + p
			t.Profile, err = r.src.read(join(content+p), maxProfile)
			if err != nil {
				t.Profile = nil
				r.b.Warnings = append(r.b.Warnings, fmt.Sprintf("%s: %v", t.ProfilePath, err))
			}
			break
		}
	}
	switch {
	case strings.Contains(exe, "/") || exe == "." || exe == "..":
		t.Err = fmt.Errorf("%s: CFBundleExecutable %q is not a file name", t.InfoPlistPath, exe)
	case !r.src.isFile(join(exeDir + exe)):
		t.Err = fmt.Errorf("%s: no such executable (CFBundleExecutable in %s)", t.Executable, t.InfoPlistPath)
	default:
		t.Binary, err = r.src.binary(join(exeDir+exe), r.lim)
		if err != nil {
			t.Err = fmt.Errorf("%s: %w", t.Executable, err)
			t.Binary = nil
		}
	}
	r.b.Targets = append(r.b.Targets, t)
	if depth >= maxNesting {
		return
	}
	for _, n := range nested {
		dir := join(content + n.dir)
		for _, child := range r.src.list(dir) {
			if strings.HasSuffix(child, n.ext) && r.src.isDir(path.Join(dir, child)) {
				r.bundle(path.Join(dir, child), display+"/"+content+n.dir+"/"+child, depth+1)
			}
		}
	}
}

// decodePlist decodes an XML or binary property list; howett.net/plist
// may panic on crafted input.
func decodePlist(data []byte, into any) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("unreadable property list (%v)", v)
		}
	}()
	if err := plistxml.CheckBinary(data); err != nil {
		return err
	}
	if _, err := plist.Unmarshal(data, into); err != nil {
		return fmt.Errorf("not a property list with a dictionary at its root: %v", err)
	}
	return nil
}

// dirSource reads a directory in place.
type dirSource struct{ root string }

func (d dirSource) path(name string) string { return filepath.Join(d.root, filepath.FromSlash(name)) }

func (d dirSource) isFile(name string) bool {
	st, err := os.Stat(d.path(name))
	return err == nil && st.Mode().IsRegular()
}

func (d dirSource) isDir(name string) bool {
	st, err := os.Lstat(d.path(name))
	return err == nil && st.IsDir()
}

func (d dirSource) list(dir string) []string {
	f, err := os.Open(d.path(dir))
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(maxDirEntries)
	sort.Strings(names)
	return names
}

func (d dirSource) read(name string, limit int64) ([]byte, error) {
	f, err := os.Open(d.path(name))
	if err != nil {
		return nil, cleanPathErr(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, cleanPathErr(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("over %d MB", limit>>20)
	}
	return data, nil
}

func (d dirSource) binary(name string, _ Limits) (*File, error) {
	f, err := Open(d.path(name))
	if err != nil {
		return nil, cleanPathErr(err)
	}
	return f, nil
}

func cleanPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// zipSource reads an archive's entries into memory, within a budget.
type zipSource struct {
	files  map[string]*zip.File
	dirs   map[string]map[string]bool // directory → child names
	budget int64                      // bytes still allowed to decompress
	total  int64                      // the whole budget, for messages
}

func (z *zipSource) addParents(name string) {
	for name != "." && name != "" {
		dir := path.Dir(name)
		if z.dirs[dir] == nil {
			z.dirs[dir] = map[string]bool{}
		}
		if z.dirs[dir][path.Base(name)] {
			return // parents already recorded
		}
		z.dirs[dir][path.Base(name)] = true
		name = dir
	}
}

func (z *zipSource) isFile(name string) bool { return z.files[name] != nil }
func (z *zipSource) isDir(name string) bool  { return z.dirs[name] != nil && z.files[name] == nil }

func (z *zipSource) list(dir string) []string {
	children := z.dirs[dir]
	out := make([]string, 0, len(children))
	for c := range children {
		out = append(out, c)
		if len(out) == maxDirEntries {
			break
		}
	}
	sort.Strings(out)
	return out
}

func (z *zipSource) read(name string, limit int64) ([]byte, error) {
	zf := z.files[name]
	if zf == nil {
		return nil, fs.ErrNotExist
	}
	if zf.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("archive entry is %d MB, over the %d MB limit", zf.UncompressedSize64>>20, limit>>20)
	}
	allowed := min(limit, z.budget)
	if zf.UncompressedSize64 > uint64(allowed) {
		return nil, fmt.Errorf("the archive expands to more than the %d MB limit", z.total>>20)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("archive entry: %v", err)
	}
	defer rc.Close()
	// The declared size may lie: never decompress more than allowed.
	data, err := io.ReadAll(io.LimitReader(rc, allowed+1))
	z.budget -= int64(len(data))
	if err != nil {
		return nil, fmt.Errorf("archive entry: %v", err)
	}
	if int64(len(data)) > allowed {
		return nil, fmt.Errorf("archive entry decompresses to more than its declared size or the %d MB limit", limit>>20)
	}
	return data, nil
}

func (z *zipSource) binary(name string, lim Limits) (*File, error) {
	data, err := z.read(name, lim.MaxFile)
	if err != nil {
		return nil, err
	}
	return Parse(bytes.NewReader(data), int64(len(data)))
}
