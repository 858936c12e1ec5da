package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/config"
	"github.com/entitlint/entitlint/lineindex"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

// fileResult is one checked file.
type fileResult struct {
	Path   string // as the user will recognise it (relative when given relative)
	Src    []byte
	Result rules.Result
	Opts   rules.Options // the options it was checked with (fix re-checks with them)
	Err    error         // the file could not be read or its config is bad

	idx      *lineindex.Index
	place    place           // where it goes in the report
	json     []byte          // the findings in compact JSON, when the report is JSON (see encodedJSON)
	project  *projectCheck   // set when the file comes from an Xcode project (cli/xcodeproj.go)
	embedded *embeddedCheck  // set when Src was extracted from a code signature (cli/app.go)
	arena    *plistxml.Arena // memory of the worker's previous tree, to parse this file in
}

// Index returns the file's line index, built on first use.
func (r *fileResult) Index() *lineindex.Index {
	if r.idx == nil {
		r.idx = lineindex.New(r.Src)
	}
	return r.idx
}

// runner resolves each file's config and checks files in parallel.
type runner struct {
	env       *Env
	flags     *config.Config // highest-precedence layer
	explicit  *config.Config // --config, replacing discovery
	stdinName string
	jobs      int
	fixing    bool // the runner serves `fix`: a project's file is fixed once (cli/xcodeproj.go)
	// encodeJSON makes the workers encode each file's findings for a
	// compact JSON report as soon as it is checked.
	encodeJSON bool
	gc         *batchGC // polled by the workers, when set

	mu      sync.Mutex
	byDir   map[string]configResult // config that applies to files in a directory
	options map[*config.Config]optionsResult
}

type configResult struct {
	cfg *config.Config
	err error
}

type optionsResult struct {
	opts rules.Options
	err  error
}

func newRunner(f *checkFlags, env *Env) (*runner, error) {
	flagCfg, err := f.flagConfig()
	if err != nil {
		return nil, err
	}
	r := &runner{env: env, flags: flagCfg, stdinName: f.stdinName, jobs: f.jobs, fixing: f.fs.Name() == "fix",
		byDir: map[string]configResult{}, options: map[*config.Config]optionsResult{}}
	if f.profile != "" {
		// Fail once, before any file, rather than once per directory (the
		// path as typed, relative to the working directory like ProfilePath).
		if _, err := config.LoadProfile(f.profile); err != nil {
			return nil, err
		}
	}
	if f.configPath != "" {
		c, err := config.Load(f.configPath)
		if err != nil {
			return nil, err
		}
		r.explicit = c
	}
	if r.jobs <= 0 {
		r.jobs = runtime.GOMAXPROCS(0)
	}
	return r, nil
}

// configFor returns the merged config for a file (cached per directory).
func (r *runner) configFor(path string) (*config.Config, error) {
	dir := filepath.Dir(path)
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.byDir[dir]; ok {
		return c.cfg, c.err
	}
	base := r.explicit
	var err error
	if base == nil {
		base, err = config.ForFile(path)
	}
	var cfg *config.Config
	if err == nil {
		cfg = config.Merge(base, r.flags)
	}
	r.byDir[dir] = configResult{cfg, err}
	return cfg, err
}

// optionsFor builds (once per config) the rules' options, loading catalogs.
func (r *runner) optionsFor(cfg *config.Config) (rules.Options, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o, ok := r.options[cfg]; ok {
		return o.opts, o.err
	}
	opts, err := cfg.Options()
	r.options[cfg] = optionsResult{opts, err}
	return opts, err
}

// collect expands the command-line paths into files: directories are walked
// for *.entitlements, explicit files are taken whatever their name. Built
// products named explicitly (.app and other bundle directories, .ipa
// archives, Mach-O executables) give the entitlements embedded in their
// signatures (cli/app.go).
//
// Files are handed to emit as they are found, so that checking starts
// before the walk ends; each carries its place in the report (see
// fileQueue.ordered): the paths' order, and within a directory, walk errors
// first, then the files sorted by path.
func (r *runner) collect(paths []string, emit func(*fileResult)) {
	seen := map[string]bool{}
	seq := 0
	put := func(arg int, sorted bool, fr fileResult) {
		seq++
		fr.place = place{arg: arg, sorted: sorted, seq: seq}
		emit(&fr)
	}
	add := func(arg int, sorted bool, p string) {
		if !seen[p] {
			seen[p] = true
			put(arg, sorted, fileResult{Path: p})
		}
	}
	for arg, p := range paths {
		if p == "-" {
			add(arg, false, "-")
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			put(arg, false, fileResult{Path: p, Err: cleanErr(err)})
			continue
		}
		if kind := builtKind(p, st); kind != "" {
			for _, fr := range r.collectBuilt(p, kind) {
				put(arg, false, fr)
			}
			continue
		}
		if !st.IsDir() {
			add(arg, false, p)
			continue
		}
		if isXcodeProject(p) {
			// An explicit .xcodeproj switches to project mode: its targets'
			// entitlements, each with the target's settings.
			for _, fr := range r.collectProject(p) {
				put(arg, false, fr)
			}
			continue
		}
		walkErr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				put(arg, false, fileResult{Path: path, Err: cleanErr(err)})
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				if path != p && (name == ".git" || name == "node_modules" || name == ".build" || name == "DerivedData") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(d.Name(), ".entitlements") || !d.Type().IsRegular() {
				return nil
			}
			if cfg, err := r.configFor(path); err == nil && cfg.Excluded(absPath(path)) {
				return nil
			}
			add(arg, true, path)
			return nil
		})
		if walkErr != nil {
			put(arg, false, fileResult{Path: p, Err: walkErr})
		}
	}
}

// place is a file's position in the report: by command-line path, then
// (within a directory) walk errors in the order met, then files by path.
type place struct {
	arg    int
	sorted bool
	seq    int
}

// fileQueue hands files from the walk to the workers as they are found.
type fileQueue struct {
	mu    sync.Mutex
	ready sync.Cond
	items []*fileResult // in the order found
	taken int
	done  bool
}

func newFileQueue() *fileQueue {
	q := &fileQueue{}
	q.ready.L = &q.mu
	return q
}

func (q *fileQueue) push(fr *fileResult) {
	q.mu.Lock()
	q.items = append(q.items, fr)
	q.mu.Unlock()
	q.ready.Signal()
}

// close says that the walk is over.
func (q *fileQueue) close() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
	q.ready.Broadcast()
}

// next returns the next file to check, waiting for the walk if need be;
// false once every file was taken and the walk is over.
func (q *fileQueue) next() (*fileResult, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.taken == len(q.items) && !q.done {
		q.ready.Wait()
	}
	if q.taken == len(q.items) {
		return nil, false
	}
	fr := q.items[q.taken]
	q.taken++
	return fr, true
}

// ordered returns every file in report order, once the walk is over.
func (q *fileQueue) ordered() []*fileResult {
	out := q.items
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].place, out[j].place
		switch {
		case a.arg != b.arg:
			return a.arg < b.arg
		case a.sorted != b.sorted:
			return !a.sorted
		case a.sorted:
			return out[i].Path < out[j].Path
		}
		return a.seq < b.seq
	})
	return out
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// cleanErr drops the Go-specific "stat"/"open" prefix from path errors: the
// path is printed next to it anyway.
func cleanErr(err error) error {
	var le *os.LinkError // rename: the temporary name means nothing to the user
	if errors.As(err, &le) {
		return le.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return errors.New("no such file or directory")
		}
		return pe.Err
	}
	return err
}

// checkAll checks every file in parallel, starting while the paths are
// still being walked; results are in report order (see collect).
func (r *runner) checkAll(paths []string) []*fileResult {
	// The builtin catalog is decoded on another core while the walk
	// starts: the first file needs it.
	go catalog.Builtin()
	q := newFileQueue()
	// Workers take files from a queue that wakes them only when they wait
	// for the walk: handing 10,000 small files over a channel kept the
	// scheduler waking and parking threads (17,000 nanosleep calls, a
	// third of the run's time).
	var wg sync.WaitGroup
	for w := 0; w < r.jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var arena *plistxml.Arena // the memory of this worker's last tree
			for {
				fr, ok := q.next()
				if !ok {
					return
				}
				if fr.place.seq%1024 == 0 && r.gc != nil {
					r.gc.poll()
				}
				if fr.Err != nil {
					continue
				}
				fr.arena, arena = arena, nil
				r.checkOne(fr)
				fr.arena = nil
				if r.encodeJSON && fr.Err == nil {
					fr.json = fr.encodedJSON()
				}
				if !r.fixing && fr.Result.Doc != nil {
					// Reports need the source and the findings, not the
					// tree: the next file is parsed in its memory.
					arena = fr.Result.Doc.TakeArena()
					fr.Result.Doc = nil
				}
			}
		}()
	}
	r.collect(paths, q.push)
	q.close()
	wg.Wait()
	return q.ordered()
}

func (r *runner) checkOne(fr *fileResult) {
	if fr.project != nil {
		r.checkProjectFile(fr)
		return
	}
	if fr.embedded != nil {
		r.checkEmbedded(fr)
		return
	}
	path := fr.Path
	if fr.Path == "-" {
		fr.Path = r.stdinName
	}
	// The config first: its maxFileSize says how much of the file to read.
	cfg, err := r.configFor(fr.Path)
	if err != nil {
		fr.Err = fmt.Errorf("config: %w", err)
		return
	}
	opts, err := r.optionsFor(cfg)
	if err != nil {
		fr.Err = fmt.Errorf("config: %w", err)
		return
	}
	fr.Opts = opts
	var size int64
	if path == "-" {
		fr.Src, size, err = readLimited(r.env.Stdin, opts.SizeLimit())
	} else {
		fr.Src, size, err = readFileLimited(path, opts.SizeLimit())
	}
	if err != nil {
		fr.Err = cleanErr(err)
		return
	}
	if fr.Src == nil {
		fr.Result = rules.TooLarge(size, opts)
		return
	}
	fr.Result = rules.CheckReusing(fr.Src, opts, fr.arena)
}

// readFileLimited reads a file unless it is larger than limit: then it
// returns nil and the size, without reading it (checking a 10 GB file by
// mistake must not take 10 GB of memory). Files that are not regular
// (FIFOs, devices) are read up to the limit, see readLimited. On Unix,
// readfile_unix.go reads regular files with fewer system calls.
func readFileLimited(path string, limit int64) ([]byte, int64, error) {
	if data, size, done, err := readRegularFile(path, limit); done {
		return data, size, err
	}
	return readFileGeneral(path, limit)
}

func readFileGeneral(path string, limit int64) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, st.Size(), nil
	}
	return readLimited(f, limit)
}

// readLimited reads r to the end unless it holds more than limit bytes:
// then it returns nil and a negative size (the size is not known, and the
// stream may never end).
func readLimited(r io.Reader, limit int64) ([]byte, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(data)) > limit {
		return nil, -1, nil
	}
	if data == nil {
		data = []byte{} // an empty file is checked, not "too large"
	}
	return data, int64(len(data)), nil
}
