package plistxml

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"howett.net/plist"
)

// allocated returns the bytes fn allocated (runtime.MemStats.TotalAlloc:
// every allocation counts, freed or not, so it bounds the peak heap fn
// needs) and the time it took.
func allocated(fn func()) (uint64, time.Duration) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, took
}

// The parser's memory is proportional to its input, whatever the input:
// at most maxAmplification bytes allocated per input byte, plus a constant
// (8 MB of path budget and slabs). Inputs are about 10 MB, the default
// size limit of the CLI and the language server. Measured (bytes allocated
// per input byte): ~50x for arrays of <true/> or <data/>, ~45x for many
// empty arrays, ~42x for a <plist> with a million attributes, ~36x for
// dicts of empty keys, ~19x for 1.4M <true/> inside 500 nested arrays (was
// 2,400x and 23 GB before the path budget), 1x for NUL bytes and, after the
// first MaxProblems problems, unknown elements (was 124x). Parsing any of
// them takes under 1 s (4 s allowed; 15x that under -race).
const (
	maxAmplification = 64
	ampConstant      = 16 << 20
)

func TestHostileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB inputs")
	}
	n := 10 << 20
	if raceSlowdown > 1 {
		n = 2 << 20 // the same shapes, smaller: the race detector is slow
	}
	repeat := func(prefix, unit, suffix string) []byte {
		return []byte(prefix + strings.Repeat(unit, (n-len(prefix)-len(suffix))/len(unit)) + suffix)
	}
	cases := []struct {
		name string
		src  []byte
	}{
		{"array of <true/>", repeat("<plist><array>", "<true/>", "</array></plist>")},
		{"array of <data/>", repeat("<plist><array>", "<data/>", "</array></plist>")},
		{"empty arrays", repeat("<plist><array>", "<array/>", "</array></plist>")},
		{"empty keys and values", repeat("<plist><dict>", "<key/><true/>", "</dict></plist>")},
		{"duplicate keys", repeat("<plist><dict>", "<key>k</key><true/>", "</dict></plist>")},
		{"keys without values", repeat("<plist><dict>", "<key/>", "</dict></plist>")},
		{"short strings", repeat("<plist><array>", "<string>x</string>", "</array></plist>")},
		{"unknown elements", repeat("<plist><array>", "<a/>", "</array></plist>")},
		{"entity references", repeat("<plist><string>", "&amp;", "</string></plist>")},
		{"character references", repeat("<plist><string>", "&#x1F600;", "</string></plist>")},
		{"comments", repeat("<plist>", "<!---->", "<dict/></plist>")},
		{"attributes", repeat("<plist", ` a="b"`, "><dict/></plist>")},
		{"stray <", repeat("", "<", "")},
		{"stray end tags", repeat("<plist><dict><key>a</key><x>", "</y>", "")},
		{"NUL bytes", repeat("", "\x00", "")},
		{"invalid UTF-8", repeat("<plist><string>", "\xff", "</string></plist>")},
		{"deep", repeat("<plist>", "<array>", "")},
		{"deep and wide", repeat("<plist>"+strings.Repeat("<array>", 500), "<true/>", "")},
		{"deep dicts and wide", repeat("<plist>"+strings.Repeat("<dict><key>k</key>", 400)+"<array>", "<false/>", "")},
		{"small, deep and wide", []byte("<plist>" + strings.Repeat("<array>", 500) + strings.Repeat("<true/>", 1000))},
	}
	for _, c := range cases {
		var d *Document
		alloc, took := allocated(func() { d = Parse(c.src) })
		t.Logf("%-24s %8d bytes: %5.1fx allocated (%4d MB), %v, %d problems",
			c.name, len(c.src), float64(alloc)/float64(len(c.src)), alloc>>20, took.Round(time.Millisecond), len(d.Problems))
		if err := validateDocument(d); err != "" {
			t.Errorf("%s: %s", c.name, err)
		}
		if limit := uint64(maxAmplification*len(c.src) + ampConstant); alloc > limit {
			t.Errorf("%s: %d bytes allocated for %d bytes of input, limit %d", c.name, alloc, len(c.src), limit)
		}
		if limit := 4 * time.Second * raceSlowdown; took > limit {
			t.Errorf("%s: took %v, limit %v", c.name, took, limit)
		}
	}
}

// TestHostileDeepAndWide: values deep in the tree cost what shallow ones
// do. (When every node held its key path, this 700 KB file took 1.6 GB.)
func TestHostileDeepAndWide(t *testing.T) {
	src := []byte("<plist>" + strings.Repeat("<array>", 500) + strings.Repeat("<true/>", 100_000) + strings.Repeat("</array>", 500) + "</plist>")
	var d *Document
	alloc, _ := allocated(func() { d = Parse(src) })
	if len(d.Problems) != 0 {
		t.Fatalf("problems = %+v", d.Problems)
	}
	if err := validateDocument(d); err != "" {
		t.Fatal(err)
	}
	n := d.Root
	for n.Kind == Array && len(n.Items()) == 1 {
		n = n.Items()[0]
	}
	if len(n.Items()) != 100_000 {
		t.Errorf("innermost array has %d items", len(n.Items()))
	}
	if alloc > maxAmplification*uint64(len(src)) {
		t.Errorf("%d MB allocated for %d KB", alloc>>20, len(src)>>10)
	}
	// Nesting right up to MaxDepth, with a few values at the bottom, is
	// within the budget.
	ok := []byte("<plist>" + strings.Repeat("<array>", MaxDepth-1) + strings.Repeat("<string>x</string>", 100) + strings.Repeat("</array>", MaxDepth-1) + "</plist>")
	if d := Parse(ok); len(d.Problems) != 0 {
		t.Errorf("nesting %d deep: %+v", MaxDepth-1, d.Problems[:min(3, len(d.Problems))])
	}
}

// secretFile writes a file whose content must never show up in what the
// parser returns: a document referring to it must not make anything open
// it.
func secretFile(t *testing.T) (path, secret string) {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	secret = "SECRET-" + hex.EncodeToString(b)
	path = filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(path, []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, secret
}

// everything returns every string the parser produced for d.
func everything(d *Document) string {
	var b strings.Builder
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		fmt.Fprintf(&b, "%s %s %v\n", n.Name(), n.Text, n.Data())
		for _, e := range n.Entries() {
			fmt.Fprintf(&b, "%s\n", e.Key)
			walk(e.Value)
		}
		for _, it := range n.Items() {
			walk(it)
		}
	}
	walk(d.Root)
	for _, p := range d.Problems {
		b.WriteString(p.Message + "\n")
	}
	for _, c := range d.Comments {
		b.WriteString(string(d.Src[c.Text.Start:c.Text.End]) + "\n")
	}
	return b.String()
}

// TestHostileEntities: DOCTYPE entities are never expanded and external
// entities and DTDs are never read: the parser does no I/O at all.
func TestHostileEntities(t *testing.T) {
	path, secret := secretFile(t)
	url := "file://" + filepath.ToSlash(path)

	var laughs strings.Builder
	laughs.WriteString(`<!ENTITY lol "lol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	cases := map[string]string{
		"billion laughs":     `<?xml version="1.0"?><!DOCTYPE plist [` + strings.ReplaceAll(laughs.String(), "&lol0;", "&lol;") + `]><plist><dict><key>&lol9;</key><string>&lol9;</string></dict></plist>`,
		"external entity":    `<!DOCTYPE plist [<!ENTITY x SYSTEM "` + url + `">]><plist><dict><key>&x;</key><string>&x;</string></dict></plist>`,
		"public entity":      `<!DOCTYPE plist [<!ENTITY x PUBLIC "-//X//EN" "` + url + `">]><plist><string>&x;</string></plist>`,
		"parameter entity":   `<!DOCTYPE plist [<!ENTITY % p SYSTEM "` + url + `"> %p;]><plist><string>x</string></plist>`,
		"external DTD":       `<!DOCTYPE plist SYSTEM "` + url + `"><plist><string>&x;</string></plist>`,
		"external DTD, http": `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://127.0.0.1:9/secret.dtd"><plist><string>x</string></plist>`,
		"xinclude":           `<plist xmlns:xi="http://www.w3.org/2001/XInclude"><array><xi:include href="` + url + `" parse="text"/></array></plist>`,
		"processing instr.":  `<?xml-stylesheet href="` + url + `"?><plist><string>x</string></plist>`,
	}
	for name, src := range cases {
		var d *Document
		alloc, took := allocated(func() { d = Parse([]byte(src)) })
		out := everything(d)
		if strings.Contains(out, secret) {
			t.Errorf("%s: the secret file was read", name)
		}
		if strings.Contains(out, "lollollol") {
			t.Errorf("%s: an entity was expanded", name)
		}
		if alloc > 1<<20 || took > time.Second*raceSlowdown {
			t.Errorf("%s: %d bytes, %v for %d bytes of input", name, alloc, took, len(src))
		}
		if err := validateDocument(d); err != "" {
			t.Errorf("%s: %s", name, err)
		}
		if strings.Contains(src, "[") && !hasCode(d, CodeDoctypeSubset) {
			t.Errorf("%s: no %s problem: %+v", name, CodeDoctypeSubset, d.Problems)
		}
		if strings.Contains(src, "&x;") && !strings.Contains(out, "unknown entity &x;") {
			t.Errorf("%s: the unknown entity is not reported: %+v", name, d.Problems)
		}
	}
}

func hasCode(d *Document, code Code) bool {
	for _, p := range d.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// TestNoIO: the parser's own code imports nothing that can open a file,
// a socket or a process, so no input can make it do so. (howett.net/plist,
// used for binary plists, imports none of these either: see
// docs/security.md.)
func TestNoIO(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "net/http": true, "net/url": true,
		"io/fs": true, "io/ioutil": true, "syscall": true, "plugin": true, "path/filepath": true, "embed": true}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := goparser.ParseFile(fset, f, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); forbidden[p] {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}

// TestHostileBinary: binary plists whose trailer or offset table point
// outside the file, built by corrupting what howett.net/plist writes, are
// reported as corrupt, quickly and without panicking.
func TestHostileBinary(t *testing.T) {
	good, err := plist.Marshal(map[string]any{
		"com.apple.security.application-groups": []string{"group.a", "group.b"},
		"com.apple.security.app-sandbox":        true,
	}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	if d := Parse(good); len(d.Problems) != 0 || d.Root == nil {
		t.Fatalf("howett's bplist: %+v", d.Problems)
	}
	tr := len(good) - 32 // the trailer
	corrupt := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	table := int(binary.BigEndian.Uint64(good[tr+24:]))
	offSize := int(good[tr+6])
	cases := map[string][]byte{
		"offset table past the end": corrupt(func(b []byte) { binary.BigEndian.PutUint64(b[tr+24:], uint64(len(b))+1000) }),
		"offset table at 2^63":      corrupt(func(b []byte) { binary.BigEndian.PutUint64(b[tr+24:], 1<<63) }),
		"offset table in trailer":   corrupt(func(b []byte) { binary.BigEndian.PutUint64(b[tr+24:], uint64(tr+8)) }),
		"object count 2^64-1":       corrupt(func(b []byte) { binary.BigEndian.PutUint64(b[tr+8:], 1<<64-1) }),
		"top object out of range":   corrupt(func(b []byte) { binary.BigEndian.PutUint64(b[tr+16:], 1<<40) }),
		"offset size 0":             corrupt(func(b []byte) { b[tr+6] = 0 }),
		"reference size 9":          corrupt(func(b []byte) { b[tr+7] = 9 }),
		"an offset past the end": corrupt(func(b []byte) {
			for i := 0; i < offSize; i++ {
				b[table+offSize+i] = 0xff
			}
		}),
		"an offset into the offset table": corrupt(func(b []byte) {
			for i := 0; i < offSize; i++ {
				b[table+i] = 0
			}
			b[table+offSize-1] = byte(table)
			if offSize > 1 {
				b[table+offSize-2] = byte(table >> 8)
			}
		}),
		"truncated trailer": good[:len(good)-5],
	}
	for name, src := range cases {
		var d *Document
		alloc, took := allocated(func() { d = Parse(src) })
		if !d.HasErrors() || d.Root != nil || !strings.Contains(d.Problems[0].Message, "corrupt binary property list") {
			t.Errorf("%s: problems %+v, root %v", name, d.Problems, d.Root != nil)
		}
		if alloc > 1<<20 || took > time.Second*raceSlowdown {
			t.Errorf("%s: %d bytes, %v", name, alloc, took)
		}
	}

	// A million values 500 levels deep, from a 2 MB file: howett expands
	// shared objects (when every node held its key path, this took 16 GB).
	// It is within the limits, so it is decoded.
	if testing.Short() {
		return
	}
	const n = 1_000_000
	objs := [][]byte{{0x08}}                                      // false
	items := binary.BigEndian.AppendUint32([]byte{0xAF, 0x12}, n) // array, count as a 4-byte int
	items = append(items, make([]byte, 2*n)...)                   // n references to object 0
	objs = append(objs, items)
	for i := 2; i <= 500; i++ {
		objs = append(objs, []byte{0xA1, byte((i - 1) >> 8), byte(i - 1)}) // [previous]
	}
	src := writeBplist4(objs, len(objs)-1)
	var d *Document
	alloc, took := allocated(func() { d = Parse(src) })
	t.Logf("deep and wide bplist, %d bytes: %d MB allocated, %v", len(src), alloc>>20, took.Round(time.Millisecond))
	if len(d.Problems) != 0 || d.Root == nil {
		t.Errorf("deep and wide bplist: %+v", d.Problems)
	}
	// howett's expansion (a million values) and our tree.
	if alloc > 512<<20 {
		t.Errorf("deep and wide bplist: %d MB allocated", alloc>>20)
	}
}

// writeBplist4 is writeBplist with 4-byte offsets and 2-byte references.
func writeBplist4(objs [][]byte, top int) []byte {
	b := []byte("bplist00")
	var offs []int
	for _, o := range objs {
		offs = append(offs, len(b))
		b = append(b, o...)
	}
	table := len(b)
	for _, o := range offs {
		b = binary.BigEndian.AppendUint32(b, uint32(o))
	}
	tr := make([]byte, 32)
	tr[6], tr[7] = 4, 2
	binary.BigEndian.PutUint64(tr[8:], uint64(len(objs)))
	binary.BigEndian.PutUint64(tr[16:], uint64(top))
	binary.BigEndian.PutUint64(tr[24:], uint64(table))
	return append(b, tr...)
}

// billionLaughs is a binary plist of levels arrays, each holding the
// previous one twice: 2^levels values from a few hundred bytes.
func billionLaughs(levels int) []byte {
	objs := [][]byte{{0x09}} // true
	for i := 1; i <= levels; i++ {
		objs = append(objs, []byte{0xA2, byte(i - 1), byte(i - 1)})
	}
	return buildBplist(objs, len(objs)-1)
}

// TestCheckBinary: the guard other packages call before decoding a binary
// plist with howett.net/plist (profiles, bundles, projects), which would
// build every value.
func TestCheckBinary(t *testing.T) {
	good, _ := plist.Marshal(map[string]any{"a": []string{"b"}}, plist.BinaryFormat)
	for name, c := range map[string]struct {
		data []byte
		ok   bool
	}{
		"XML":             {[]byte(`<plist version="1.0"><dict/></plist>`), true},
		"not a plist":     {[]byte("hello"), true},
		"howett's":        {good, true},
		"2^19 values":     {billionLaughs(19), true},
		"2^40 values":     {billionLaughs(40), false},
		"contains itself": {buildBplist([][]byte{{0xA1, 0}}, 0), false},
		"truncated":       {good[:len(good)-4], false},
	} {
		var err error
		alloc, took := allocated(func() { err = CheckBinary(c.data) })
		if (err == nil) != c.ok {
			t.Errorf("%s: CheckBinary = %v", name, err)
		}
		if alloc > 16<<20 || took > time.Second*raceSlowdown {
			t.Errorf("%s: %d bytes, %v", name, alloc, took)
		}
	}
}
