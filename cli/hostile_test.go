package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"howett.net/plist"

	"github.com/entitlint/entitlint/profile/profiletest"
)

// Hostile input through the CLI. Every case gets a clear finding (or a
// clean refusal) within the bounds it states. Memory is measured as the
// bytes allocated during the call (runtime.MemStats.TotalAlloc, a bound on
// the peak heap that does not depend on GC timing); times are checked only
// without -race, which slows everything down ten times or more.

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

type measured struct {
	out, errOut string
	code        int
	alloc       uint64        // bytes allocated during the run
	peak        uint64        // highest live heap seen during the run, above the heap before it
	took        time.Duration // wall time
}

// measureRun runs the CLI like run does, measuring it.
func measureRun(t *testing.T, stdin io.Reader, args ...string) measured {
	t.Helper()
	var out, errb bytes.Buffer
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := samplePeakHeap()
	start := time.Now()
	code := Main(args, &Env{Stdin: stdin, Stdout: &out, Stderr: &errb})
	took := time.Since(start)
	p := stop()
	runtime.ReadMemStats(&after)
	m := measured{out: out.String(), errOut: errb.String(), code: code, alloc: after.TotalAlloc - before.TotalAlloc, took: took}
	if p > before.HeapAlloc {
		m.peak = p - before.HeapAlloc
	}
	return m
}

// samplePeakHeap polls the live heap every millisecond until stop is
// called, and returns the highest value seen. Sampling can only miss the
// peak, so it is reported, not asserted.
func samplePeakHeap() (stop func() uint64) {
	peak := new(atomic.Uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// checkTime fails if took exceeds limit, except under -race.
func checkTime(t *testing.T, what string, took, limit time.Duration) {
	t.Helper()
	if !raceEnabled() && took > limit {
		t.Errorf("%s took %v, limit %v", what, took, limit)
	}
}

type jsonOutput struct {
	Findings []struct {
		File, Rule, Severity, Message string
	}
}

func decodeJSON(t *testing.T, out string) jsonOutput {
	t.Helper()
	var j jsonOutput
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("output is not JSON: %v\n%.500s", err, out)
	}
	return j
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostileEntities: entities declared in a DOCTYPE are never expanded,
// and external entities and DTDs are never fetched or read: a file they
// point at never shows up, a server they point at gets no request.
func TestHostileEntities(t *testing.T) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	secret := "SECRET-" + hex.EncodeToString(b)
	secretPath := writeTemp(t, "secret.txt", []byte(secret))
	fileURL := "file://" + filepath.ToSlash(secretPath)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, secret)
	}))
	defer srv.Close()

	var laughs strings.Builder
	laughs.WriteString(`<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	const body = `<plist version="1.0"><dict><key>com.apple.security.application-groups</key><array><string>&x;</string></array><key>&x;</key><true/></dict></plist>`
	cases := map[string]string{
		"billion laughs":         `<?xml version="1.0"?><!DOCTYPE plist [` + laughs.String() + `<!ENTITY x "&lol9;">]>` + body,
		"external file entity":   `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + fileURL + `">]>` + body,
		"external file path":     `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + secretPath + `">]>` + body,
		"external http entity":   `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + srv.URL + `/entity">]>` + body,
		"parameter entity":       `<!DOCTYPE plist [<!ENTITY % p SYSTEM "` + srv.URL + `/param"> %p;]>` + body,
		"external DTD, file":     `<!DOCTYPE plist SYSTEM "` + fileURL + `">` + body,
		"external DTD, http":     `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "` + srv.URL + `/PropertyList-1.0.dtd">` + body,
		"xinclude":               `<plist version="1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><dict><key>a</key><xi:include href="` + srv.URL + `/x"/></dict></plist>`,
		"stylesheet":             `<?xml-stylesheet href="` + srv.URL + `/x.xsl"?>` + body,
		"entity in an attribute": `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + fileURL + `">]><plist version="&x;"><dict/></plist>`,
	}
	for name, src := range cases {
		path := writeTemp(t, "App.entitlements", []byte(src))
		for _, format := range []string{"json", "text"} {
			m := measureRun(t, strings.NewReader(""), "check", "--format", format, path)
			if m.code != ExitOK && m.code != ExitFindings {
				t.Errorf("%s: exit %d, stderr %s", name, m.code, m.errOut)
			}
			if strings.Contains(m.out+m.errOut, secret) {
				t.Errorf("%s: the secret was read", name)
			}
			if strings.Contains(m.out, "lollollol") || len(m.out) > 64<<10 {
				t.Errorf("%s: entities expanded (%d bytes of output)", name, len(m.out))
			}
			if m.alloc > 16<<20 {
				t.Errorf("%s: %d MB allocated", name, m.alloc>>20)
			}
			checkTime(t, name, m.took, 2*time.Second)
			if format == "json" && strings.Contains(src, "[<!ENTITY") {
				j := decodeJSON(t, m.out)
				found := false
				for _, f := range j.Findings {
					found = found || f.Rule == "syntax" && strings.Contains(f.Message, "never expanded")
				}
				if !found {
					t.Errorf("%s: no finding says entities are never expanded: %+v", name, j.Findings)
				}
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the HTTP server got %d requests", n)
	}
}

// repeated reads unit over and over, forever, storing nothing.
type repeated struct {
	unit []byte
	off  int
}

func (r *repeated) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c := copy(b[n:], r.unit[r.off:])
		n += c
		r.off = (r.off + c) % len(r.unit)
	}
	return n, nil
}

// TestHostileTooLarge: a 100 MB file gets one "too large" finding without
// being read: the CLI allocates under 4 MB for it (measured: ~0.1 MB) and
// answers in well under a second. From standard input, which has no size,
// it reads up to the limit (10 MB) and stops: under 64 MB allocated
// (measured: ~30 MB, io.ReadAll's growth).
func TestHostileTooLarge(t *testing.T) {
	const size = 100 << 20
	path := filepath.Join(t.TempDir(), "Huge.entitlements")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("\t<key>com.apple.security.app-sandbox</key>\n"), (1<<20)/43+1)[:1<<20]
	for i := 0; i < size>>20; i++ {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	want := "file is 100.0 MB, over the 10.0 MB limit: not analysed"
	for _, format := range []string{"json", "text", "sarif", "github"} {
		m := measureRun(t, strings.NewReader(""), "check", "--format", format, path)
		t.Logf("100 MB file, %s: exit %d, %d KB allocated, %v", format, m.code, m.alloc>>10, m.took.Round(time.Millisecond))
		if m.code != ExitFindings || strings.Count(m.out, want) != 1 {
			t.Errorf("%s: exit %d, output:\n%.2000s\nstderr: %s", format, m.code, m.out, m.errOut)
		}
		if m.alloc > 4<<20 {
			t.Errorf("%s: %d MB allocated for a file that is not read", format, m.alloc>>20)
		}
		checkTime(t, "a 100 MB file", m.took, 2*time.Second)
		if format == "json" {
			if j := decodeJSON(t, m.out); len(j.Findings) != 1 || j.Findings[0].Rule != "syntax" {
				t.Errorf("findings: %+v", j.Findings)
			}
		}
	}

	m := measureRun(t, io.LimitReader(&repeated{unit: chunk}, size), "check", "--format", "json", "-")
	t.Logf("100 MB on standard input: exit %d, %d MB allocated, %v", m.code, m.alloc>>20, m.took.Round(time.Millisecond))
	if j := decodeJSON(t, m.out); m.code != ExitFindings || len(j.Findings) != 1 ||
		!strings.Contains(j.Findings[0].Message, "file is over the 10.0 MB limit: not analysed") {
		t.Errorf("stdin: exit %d, %+v", m.code, j.Findings)
	}
	if m.alloc > 64<<20 {
		t.Errorf("stdin: %d MB allocated", m.alloc>>20)
	}
	checkTime(t, "100 MB on standard input", m.took, 2*time.Second)

	// fix refuses it, without reading it either.
	before, _ := os.Stat(path)
	m = measureRun(t, strings.NewReader(""), "fix", path)
	after, _ := os.Stat(path)
	if m.code != ExitFindings || !strings.Contains(m.errOut, "not fixed: the file is over the size limit") ||
		!after.ModTime().Equal(before.ModTime()) || after.Size() != size || m.alloc > 4<<20 {
		t.Errorf("fix: exit %d, stderr %q, %d MB allocated", m.code, m.errOut, m.alloc>>20)
	}
}

// TestHostileHugeArray: a million-element array, just under the size limit
// (9 MB), is analysed in bounded time and memory, and the output is capped
// (each rule stops after 500 findings). Measured: 0.5-1.3 s, ~650 MB
// allocated (~75 bytes per input byte: the tree has a 264-byte node per
// element) and a peak heap of ~500 MB. Limits: 10 s, 100x the input.
func TestHostileHugeArray(t *testing.T) {
	if testing.Short() {
		t.Skip("a 9 MB file with a million elements")
	}
	src := "<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array>\n" +
		strings.Repeat("<string/>", 1_000_000) + "\n</array></dict></plist>\n"
	path := writeTemp(t, "Array.entitlements", []byte(src))
	m := measureRun(t, strings.NewReader(""), "check", "--format", "json", path)
	t.Logf("1,000,000 elements, %d bytes: exit %d, %d MB allocated (%.0fx), peak heap %d MB, %v, %d bytes of output",
		len(src), m.code, m.alloc>>20, float64(m.alloc)/float64(len(src)), m.peak>>20, m.took.Round(time.Millisecond), len(m.out))
	j := decodeJSON(t, m.out)
	if m.code != ExitOK || len(j.Findings) != 501 || !strings.Contains(j.Findings[500].Message, "stopped after 500 findings") {
		t.Errorf("exit %d, %d findings, stderr %s", m.code, len(j.Findings), m.errOut)
	}
	if m.alloc > 100*uint64(len(src)) {
		t.Errorf("%d MB allocated for %d MB", m.alloc>>20, len(src)>>20)
	}
	checkTime(t, "a million-element array", m.took, 10*time.Second)
}

// TestHostileLongLines: a 10 MB line and a 1 MB key are checked; the line
// is not echoed (snippets stop at 200 bytes), and the key appears once in
// its finding, so the output stays proportional to the key. Measured: 10 MB
// line ~0.2 s and ~5x allocated; 1 MB key ~10 ms and ~10x. Limits: 2 s,
// 16x.
func TestHostileLongLines(t *testing.T) {
	line := "<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array><string>group." +
		strings.Repeat("x", 10<<20-200) + "</string></array></dict></plist>"
	key := "<plist version=\"1.0\"><dict><key>" + strings.Repeat("k", 1<<20) + "</key><true/></dict></plist>"
	for _, c := range []struct {
		name, src string
		maxOut    int
	}{
		{"10 MB line", line, 1 << 10},
		{"1 MB key", key, 1<<20 + 4<<10},
	} {
		path := writeTemp(t, "Long.entitlements", []byte(c.src))
		m := measureRun(t, strings.NewReader(""), "check", path)
		t.Logf("%s: exit %d, %.1fx allocated, %v, %d bytes of output", c.name, m.code, float64(m.alloc)/float64(len(c.src)), m.took.Round(time.Millisecond), len(m.out))
		if m.code != ExitOK && m.code != ExitFindings || m.errOut != "" {
			t.Errorf("%s: exit %d, stderr %s", c.name, m.code, m.errOut)
		}
		if len(m.out) > c.maxOut {
			t.Errorf("%s: %d bytes of output", c.name, len(m.out))
		}
		if m.alloc > 16*uint64(len(c.src)) {
			t.Errorf("%s: %d MB allocated", c.name, m.alloc>>20)
		}
		checkTime(t, c.name, m.took, 2*time.Second)
	}
}

// TestHostileEncodings: NUL bytes, invalid UTF-8, UTF-16 and corrupt
// binary plists each get a clear error finding (exit 1).
func TestHostileEncodings(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>com.apple.security.app-sandbox</key><true/></dict></plist>`
	utf16 := func(bom []byte, big bool) []byte {
		out := bytes.Clone(bom)
		for _, r := range doc {
			if big {
				out = append(out, 0, byte(r))
			} else {
				out = append(out, byte(r), 0)
			}
		}
		return out
	}
	bplist, err := plist.Marshal(map[string]any{"com.apple.security.app-sandbox": true}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	badTable := bytes.Clone(bplist)
	binary.BigEndian.PutUint64(badTable[len(badTable)-8:], uint64(len(badTable))+100) // offset table outside the file
	badOffset := bytes.Clone(bplist)
	table := int(binary.BigEndian.Uint64(bplist[len(bplist)-8:]))
	for i := 0; i < int(bplist[len(bplist)-32+6]); i++ {
		badOffset[table+i] = 0xff // the first object's offset points outside the file
	}
	cases := []struct {
		name string
		src  []byte
		want string
	}{
		{"NUL bytes", []byte(strings.Replace(doc, "app-sandbox", "app\x00sandbox\x00\x00", 1)), "NUL byte is not allowed"},
		{"all NUL", make([]byte, 4096), "NUL byte"},
		{"invalid UTF-8", []byte(strings.Replace(doc, "sandbox", "sand\xff\xfebox\xc3", 1)), "invalid UTF-8"},
		{"UTF-16LE with BOM", utf16([]byte{0xff, 0xfe}, false), "UTF-16"},
		{"UTF-16BE with BOM", utf16([]byte{0xfe, 0xff}, true), "UTF-16"},
		{"UTF-16LE without BOM", utf16(nil, false), "UTF-16"},
		{"bplist, offset table outside the file", badTable, "corrupt binary property list"},
		{"bplist, object offset outside the file", badOffset, "corrupt binary property list"},
		{"bplist, truncated", bplist[:len(bplist)-10], "corrupt binary property list"},
	}
	for _, c := range cases {
		path := writeTemp(t, "App.entitlements", c.src)
		m := measureRun(t, strings.NewReader(""), "check", "--format", "json", path)
		j := decodeJSON(t, m.out)
		found := false
		for _, f := range j.Findings {
			found = found || f.Severity == "error" && strings.Contains(f.Message, c.want)
		}
		if m.code != ExitFindings || !found {
			t.Errorf("%s: exit %d, findings %+v, stderr %s", c.name, m.code, j.Findings, m.errOut)
		}
		if m.alloc > 4<<20 {
			t.Errorf("%s: %d MB allocated", c.name, m.alloc>>20)
		}
		checkTime(t, c.name, m.took, time.Second)
	}
}

// TestHostileTerminalEscapes: text from the file reaches the text and
// GitHub outputs (messages, source lines, fix titles, file names) without
// the control characters a terminal or a CI log would act on: escape
// sequences, BEL, NUL, bidirectional overrides. JSON and SARIF escape them.
func TestHostileTerminalEscapes(t *testing.T) {
	const e = "\x1b]0;owned\x07\x1b[2J\x1b[1A\u202e\x00\r\x9b"
	src := `<?xml version="1.0" encoding="UTF-8` + e + `"?>
<plist version="1.0` + e + `">
<!-- entitlint: platform=mac` + e + `os -->
<!-- entitlint-disable-next-line x` + e + ` -->
<dict` + e + `>
	<key>com.apple.security.application-groups` + e + `</key>
	<array><string>group.` + e + `</string><string>` + e + `</string></array>
	<key>aps-environment</key>
	<string>dev` + e + `</string>
	<key>com.apple.developer.associated-domains</key>
	<array><string>applinks:` + e + `</string></array>
	<key>keychain-access-groups</key>
	<array><string>` + e + `.x</string></array>
	<` + e + `x/>
	<key>` + e + `</key><true/>
	&` + e + `;
</dict>
</plist>
`
	dir := t.TempDir()
	name := "App" + strings.NewReplacer("\x00", "", "/", "").Replace(e) + ".entitlements"
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Skipf("this file system refuses control characters in names: %v", err)
	}
	for _, format := range []string{"text", "github", "json", "sarif"} {
		m := measureRun(t, strings.NewReader(""), "check", "--format", format, "--team-id", "ABCDE12345", dir)
		if m.code != ExitFindings || len(m.out) < 1000 {
			t.Fatalf("%s: exit %d, output %q", format, m.code, m.out)
		}
		out := strings.ReplaceAll(m.out, "\n", "")
		if format == "text" || format == "github" {
			if !utf8.ValidString(out) {
				t.Errorf("%s: invalid UTF-8 in the output:\n%q", format, m.out)
			}
			for _, r := range out {
				if unprintable(r) {
					t.Errorf("%s: %U in the output:\n%q", format, r, m.out)
					break
				}
			}
		}
		if format == "json" || format == "sarif" {
			var v any
			if err := json.Unmarshal([]byte(m.out), &v); err != nil {
				t.Errorf("%s: %v", format, err)
			}
		}
	}
}

// TestHostileConfig: a .entitlint.json comes with the repository, which
// may be anyone's (a pull request checked in CI). The files it names are
// read up to a bound, and their text never shows up in what entitlint
// prints, so it cannot copy /proc/self/environ or a key file into a CI log.
func TestHostileConfig(t *testing.T) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	secret := "SECRET-" + hex.EncodeToString(b)
	dir := t.TempDir()
	secretPath := filepath.Join(dir, "credentials")
	if err := os.WriteFile(secretPath, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	jsonPath, _ := json.Marshal(secretPath)
	cases := map[string]string{
		"infoPlist":           `{"infoPlist": ` + string(jsonPath) + `}`,
		"catalog":             `{"catalogs": [` + string(jsonPath) + `]}`,
		"profile":             `{"profile": ` + string(jsonPath) + `}`,
		"infoPlist /dev/zero": `{"infoPlist": "/dev/zero"}`,
		"catalog /dev/zero":   `{"catalogs": ["/dev/zero"]}`,
	}
	for name, cfg := range cases {
		if strings.Contains(cfg, "/dev/zero") && runtime.GOOS == "windows" {
			continue
		}
		proj := filepath.Join(t.TempDir(), "repo")
		if err := os.MkdirAll(proj, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(proj, ".entitlint.json"), []byte(cfg), 0o644)
		file := filepath.Join(proj, "App.entitlements")
		os.WriteFile(file, []byte(`<plist version="1.0"><dict><key>com.apple.security.app-sandbox</key><true/></dict></plist>`), 0o644)
		m := measureRun(t, strings.NewReader(""), "check", file)
		t.Logf("%s: exit %d, %d MB allocated, %v: %s", name, m.code, m.alloc>>20, m.took.Round(time.Millisecond), strings.TrimSpace(m.errOut))
		if m.code != ExitUsage || m.errOut == "" {
			t.Errorf("%s: exit %d, stderr %q", name, m.code, m.errOut)
		}
		if strings.Contains(m.out+m.errOut, secret[:12]) {
			t.Errorf("%s: the named file's content was printed: %s", name, m.errOut)
		}
		if m.alloc > 512<<20 {
			t.Errorf("%s: %d MB allocated", name, m.alloc>>20)
		}
		checkTime(t, name, m.took, 5*time.Second)
	}
}

// laughsBplist is a binary plist of levels arrays, each holding the
// previous one twice: 2^levels values from a few hundred bytes.
func laughsBplist(levels int) []byte {
	b := []byte("bplist00")
	offs := []int{len(b)}
	b = append(b, 0x09) // true
	for i := 1; i <= levels; i++ {
		offs = append(offs, len(b))
		b = append(b, 0xA2, byte(i-1), byte(i-1))
	}
	table := len(b)
	for _, o := range offs {
		b = binary.BigEndian.AppendUint16(b, uint16(o))
	}
	tr := make([]byte, 32)
	tr[6], tr[7] = 2, 1
	binary.BigEndian.PutUint64(tr[8:], uint64(len(offs)))
	binary.BigEndian.PutUint64(tr[16:], uint64(len(offs)-1))
	binary.BigEndian.PutUint64(tr[24:], uint64(table))
	return append(b, tr...)
}

// TestHostileProfile: a signed profile of under 1 KB whose property list
// expands to 2^40 values (shared objects). howett.net/plist would build
// them all (22 levels already cost 224 MB); it is refused first.
func TestHostileProfile(t *testing.T) {
	data, err := profiletest.Sign(laughsBplist(40))
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "Laughs.mobileprovision", data)
	doc := writeTemp(t, "App.entitlements", []byte(`<plist version="1.0"><dict><key>aps-environment</key><string>development</string></dict></plist>`))
	for _, args := range [][]string{{"profile", path}, {"check", "--profile", path, doc}} {
		m := measureRun(t, strings.NewReader(""), args...)
		if m.code != ExitUsage || !strings.Contains(m.errOut, "binary property list refused: it expands to more than") {
			t.Errorf("%s: exit %d, stderr %q", args[0], m.code, m.errOut)
		}
		if m.alloc > 16<<20 {
			t.Errorf("%s: %d MB allocated", args[0], m.alloc>>20)
		}
		checkTime(t, args[0], m.took, time.Second)
	}
}
