package plistxml

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mustBeQuick fails if fn takes longer than limit (generous: the race
// detector slows everything down several times).
func mustBeQuick(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	limit *= raceSlowdown
	start := time.Now()
	fn()
	if d := time.Since(start); d > limit {
		t.Errorf("took %v, limit %v", d, limit)
	}
}

func TestTruncateEverywhere(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(testdataDir, "xcode-valid.plist"))
	if err != nil {
		t.Fatal(err)
	}
	full := len(bytes.TrimRight(src, " \n"))
	for i := 0; i <= len(src); i++ {
		d := Parse(src[:i])
		if err := validateDocument(d); err != "" {
			t.Fatalf("prefix %d: %s", i, err)
		}
		if i < full && !d.HasErrors() {
			t.Fatalf("prefix %d (%q) has no error", i, src[:i])
		}
		if i >= full && len(d.Problems) != 0 {
			t.Fatalf("prefix %d: %+v", i, d.Problems)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 100_000
	cases := map[string]string{
		"arrays":          "<plist>" + strings.Repeat("<array>", depth) + strings.Repeat("</array>", depth) + "</plist>",
		"unclosed arrays": "<plist>" + strings.Repeat("<array>", depth),
		"dicts":           "<plist>" + strings.Repeat("<dict><key>k</key>", depth) + "<true/>" + strings.Repeat("</dict>", depth) + "</plist>",
		"unknown":         "<plist><dict><key>k</key>" + strings.Repeat("<x>", depth) + strings.Repeat("</x>", depth) + "</dict></plist>",
		"in string":       "<plist><string>" + strings.Repeat("<b>", depth) + "</string></plist>",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var d *Document
			mustBeQuick(t, 5*time.Second, func() { d = Parse([]byte(src)) })
			if err := validateDocument(d); err != "" {
				t.Fatal(err)
			}
			limits := 0
			for _, p := range d.Problems {
				if p.Code == CodeLimit {
					limits++
				}
			}
			if limits != 1 {
				t.Errorf("%d CodeLimit problems, want 1 (of %d)", limits, len(d.Problems))
			}
			depthSeen := 0
			var walk func(n *Node, depth int)
			walk = func(n *Node, depth int) { // recursion is fine: the tree depth is capped
				depthSeen = max(depthSeen, depth)
				for _, e := range n.Entries() {
					if e.Value != nil {
						walk(e.Value, depth+1)
					}
				}
				for _, it := range n.Items() {
					walk(it, depth+1)
				}
			}
			if d.Root != nil {
				walk(d.Root, 2) // <plist> is level 1
				_ = d.Root.ToValue()
			}
			if depthSeen > MaxDepth+1 { // leaves may sit below the deepest container
				t.Errorf("tree depth %d > %d", depthSeen, MaxDepth+1)
			}
		})
	}
}

func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("20 MB")
	}
	src := entitlements(20 << 20)
	var d *Document
	mustBeQuick(t, 5*time.Second, func() { d = Parse(src) })
	if len(d.Problems) != 0 || len(d.RootDict().Entries()) < 100_000 {
		t.Fatalf("problems %d, entries %d", len(d.Problems), len(d.RootDict().Entries()))
	}
}

func TestGarbage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	inputs := [][]byte{
		bytes.Repeat([]byte{0}, 1<<20),
		bytes.Repeat([]byte("<"), 1<<20),
		bytes.Repeat([]byte("&"), 1<<20),
		bytes.Repeat([]byte("</x>"), 1<<18),
		[]byte("<plist><dict><key>a</key><x>" + strings.Repeat("</y>", 1<<18)),
		[]byte("<plist><dict><key>a</key>" + strings.Repeat("<a><b></a>", 1<<16)),
		[]byte("<!--" + strings.Repeat("-", 1<<20) + "-->"),
		[]byte("<plist" + strings.Repeat(` a="b"`, 1<<16) + "><dict/></plist>"),
		[]byte("<plist><string>" + strings.Repeat("\xff", 1<<20) + "</string></plist>"),
		[]byte("<!DOCTYPE plist [" + strings.Repeat("[", 1<<20)),
		[]byte("<plist><dict>" + strings.Repeat("<key>k</key>", 1<<17) + "</dict></plist>"),
		[]byte("<plist><dict>" + strings.Repeat("<key>k</key><true/>", 1<<17) + "</dict></plist>"),
		[]byte("bplist00" + strings.Repeat("\xff", 100)),
	}
	for i := 0; i < 200; i++ {
		b := make([]byte, r.IntN(4096))
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		inputs = append(inputs, b)
		// random bytes drawn from XML's special characters
		x := make([]byte, r.IntN(4096))
		for j := range x {
			x[j] = "<>/!?-[]&;#\"'= \nabkeydict"[r.IntN(25)]
		}
		inputs = append(inputs, x)
	}
	valid := map[int]bool{7: true} // many attributes on <plist> are fine
	for i, src := range inputs {
		var d *Document
		mustBeQuick(t, 5*time.Second, func() { d = Parse(src) })
		if err := validateDocument(d); err != "" {
			t.Fatalf("input %d: %s", i, err)
		}
		if len(src) > 0 && len(d.Problems) == 0 && !valid[i] {
			t.Fatalf("input %d: garbage without problems", i)
		}
		toks := Scan(src)
		checkTokens(t, src, toks)
	}
}

func TestProblemCap(t *testing.T) {
	d := Parse(bytes.Repeat([]byte("<plist><x>&</plist>"), 10_000))
	if len(d.Problems) != MaxProblems {
		t.Fatalf("%d problems", len(d.Problems))
	}
	limit := 0
	for _, p := range d.Problems {
		if p.Code == CodeLimit && strings.Contains(p.Message, "too many problems") {
			limit++
		}
	}
	if limit != 1 {
		t.Errorf("%d too-many-problems markers", limit)
	}
}

func TestBinaryHostile(t *testing.T) {
	// a bplist whose arrays share children: 2^40 values if expanded
	var objs [][]byte
	objs = append(objs, []byte{0x09}) // true
	for i := 1; i <= 40; i++ {
		objs = append(objs, []byte{0xA2, byte(i - 1), byte(i - 1)})
	}
	d := Parse(buildBplist(objs, len(objs)-1))
	if len(d.Problems) != 1 || d.Problems[0].Code != CodeLimit || d.Root != nil {
		t.Errorf("billion laughs: %+v", d.Problems)
	}
	// a self-referencing array
	d = Parse(buildBplist([][]byte{{0xA1, 0}}, 0))
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0].Message, "contains itself") {
		t.Errorf("cycle: %+v", d.Problems)
	}
	// a chain deeper than MaxDepth
	objs = [][]byte{{0x08}}
	for i := 1; i <= MaxDepth+5; i++ {
		objs = append(objs, []byte{0xA1, byte((i - 1) >> 8), byte(i - 1)})
	}
	d = Parse(buildBplistRef2(objs, len(objs)-1))
	if len(d.Problems) != 1 || d.Problems[0].Code != CodeLimit {
		t.Errorf("deep: %+v", d.Problems)
	}
	// every truncation of a valid bplist
	good := buildBplist([][]byte{{0xA2, 1, 2}, {0x09}, {0x51, 'x'}}, 0)
	if d := Parse(good); len(d.Problems) != 0 || len(d.Root.Items()) != 2 {
		t.Fatalf("good bplist: %+v", d.Problems)
	}
	for i := 6; i < len(good); i++ {
		d := Parse(good[:i])
		if err := validateDocument(d); err != "" || !d.HasErrors() {
			t.Fatalf("truncated bplist %d: %s %+v", i, err, d.Problems)
		}
	}
}

// buildBplist writes objects (already encoded, 1-byte references) into a
// bplist00 with 2-byte offsets.
func buildBplist(objs [][]byte, top int) []byte { return writeBplist(objs, top, 1) }

func buildBplistRef2(objs [][]byte, top int) []byte { return writeBplist(objs, top, 2) }

func writeBplist(objs [][]byte, top, refSize int) []byte {
	b := []byte("bplist00")
	var offs []int
	for _, o := range objs {
		offs = append(offs, len(b))
		b = append(b, o...)
	}
	table := len(b)
	for _, o := range offs {
		b = append(b, byte(o>>8), byte(o))
	}
	tr := make([]byte, 32)
	tr[6], tr[7] = 2, byte(refSize)
	put := func(at, v int) {
		for i := 0; i < 8; i++ {
			tr[at+7-i] = byte(v >> (8 * i))
		}
	}
	put(8, len(objs))
	put(16, top)
	put(24, table)
	return append(b, tr...)
}
