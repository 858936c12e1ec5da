package plistxml

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// gen renders random well-formed plists in varied but valid styles, and
// remembers the value it wrote so tests can check the decoding too.
type gen struct {
	r     *rand.Rand
	b     strings.Builder
	depth int
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// document returns a complete document and the value howett should decode.
func (g *gen) document() (string, any) {
	g.b.Reset()
	nl := "\n"
	if g.r.IntN(8) == 0 {
		nl = "\r\n"
	}
	if g.r.IntN(4) != 0 {
		g.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + nl)
	}
	if g.r.IntN(3) != 0 {
		g.b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + nl)
	}
	wrapped := g.r.IntN(6) != 0
	if wrapped {
		g.b.WriteString(`<plist version="1.0">` + nl)
	}
	g.depth = 0
	var v any
	if g.r.IntN(5) == 0 {
		v = g.value(nl, "")
	} else {
		v = g.dict(nl, "")
	}
	g.b.WriteString(nl)
	if wrapped {
		g.b.WriteString("</plist>" + nl)
	}
	if g.r.IntN(5) == 0 {
		g.b.WriteString("<!-- trailing comment -->" + nl)
	}
	return g.b.String(), v
}

func (g *gen) maybeComment(nl, ind string) {
	if g.r.IntN(10) == 0 {
		g.b.WriteString(nl + ind + "<!-- note: " + g.word() + " -->")
	}
}

func (g *gen) value(nl, ind string) any {
	g.depth++
	defer func() { g.depth-- }()
	max := 9
	if g.depth > 3 {
		max = 7 // scalars only
	}
	switch g.r.IntN(max) {
	case 0:
		s := g.text()
		if s == "" && g.r.IntN(2) == 0 {
			g.b.WriteString("<string/>")
		} else {
			g.b.WriteString("<string>" + g.escape(s) + "</string>")
		}
		return s
	case 1:
		return g.integer()
	case 2:
		return g.real()
	case 3:
		if g.r.IntN(2) == 0 {
			g.b.WriteString("<true/>")
			return true
		}
		g.b.WriteString("<false/>")
		return false
	case 4:
		t := time.Unix(g.r.Int64N(4e9)-1e9, 0).UTC()
		g.b.WriteString("<date>" + t.Format("2006-01-02T15:04:05Z") + "</date>")
		return t
	case 5:
		data := make([]byte, g.r.IntN(40))
		for i := range data {
			data[i] = byte(g.r.IntN(256))
		}
		enc := base64.StdEncoding.EncodeToString(data)
		if len(enc) > 16 && g.r.IntN(2) == 0 {
			enc = enc[:16] + nl + ind + "\t" + enc[16:]
		}
		if enc == "" && g.r.IntN(2) == 0 {
			g.b.WriteString("<data/>")
		} else {
			g.b.WriteString("<data>" + enc + "</data>")
		}
		return data
	case 6:
		s := g.text()
		g.b.WriteString("<string>" + g.escape(s) + "</string>")
		return s
	case 7:
		return g.dict(nl, ind)
	default:
		return g.array(nl, ind)
	}
}

func (g *gen) dict(nl, ind string) any {
	n := g.r.IntN(6)
	m := map[string]any{}
	if n == 0 && g.r.IntN(2) == 0 {
		g.b.WriteString("<dict/>")
		return m
	}
	g.b.WriteString("<dict>")
	for i := 0; i < n; i++ {
		k := g.key()
		if _, dup := m[k]; dup || k == "CF$UID" {
			continue
		}
		g.maybeComment(nl, ind+"\t")
		g.b.WriteString(nl + ind + "\t<key>" + g.escape(k) + "</key>" + nl + ind + "\t")
		m[k] = g.value(nl, ind+"\t")
	}
	g.b.WriteString(nl + ind + "</dict>")
	return m
}

func (g *gen) array(nl, ind string) any {
	n := g.r.IntN(5)
	out := []any{}
	if n == 0 && g.r.IntN(2) == 0 {
		g.b.WriteString("<array/>")
		return out
	}
	g.b.WriteString("<array>")
	for i := 0; i < n; i++ {
		g.maybeComment(nl, ind+"\t")
		g.b.WriteString(nl + ind + "\t")
		out = append(out, g.value(nl, ind+"\t"))
	}
	g.b.WriteString(nl + ind + "</array>")
	return out
}

func (g *gen) integer() any {
	var v any
	var text string
	switch g.r.IntN(6) {
	case 0:
		n := -g.r.Int64N(math.MaxInt64) - 1
		v, text = n, strconv.FormatInt(n, 10)
	case 1:
		u := g.r.Uint64()
		v, text = u, strconv.FormatUint(u, 10)
	case 2:
		u := g.r.Uint64N(1 << 20)
		v, text = u, "0x"+strconv.FormatUint(u, 16)
		if g.r.IntN(2) == 0 {
			text = "0X" + strings.ToUpper(strconv.FormatUint(u, 16))
		}
	case 3:
		n := g.r.Int64N(1<<20) + 1
		v, text = -n, "-0x"+strconv.FormatInt(n, 16)
	case 4:
		v, text = int64(0), "-0"
	default:
		u := g.r.Uint64N(1000)
		v, text = u, strconv.FormatUint(u, 10)
	}
	g.b.WriteString("<integer>" + text + "</integer>")
	return v
}

func (g *gen) real() any {
	specials := []string{"nan", "NaN", "inf", "-inf", "+Inf", "infinity", "-Infinity", "0", "-0.0", "1e10", "2.5E-3"}
	var text string
	if g.r.IntN(4) == 0 {
		text = specials[g.r.IntN(len(specials))]
	} else {
		text = strconv.FormatFloat(g.r.NormFloat64()*math.Pow(10, float64(g.r.IntN(40)-20)), "gef"[g.r.IntN(3)], -1, 64)
	}
	f, _ := strconv.ParseFloat(text, 64)
	g.b.WriteString("<real>" + text + "</real>")
	return f
}

var keyWords = []string{"com", "apple", "security", "developer", "application-groups", "app-sandbox",
	"network", "client", "icloud", "aps-environment", "keychain", "team", "identifier", "files"}

func (g *gen) word() string { return keyWords[g.r.IntN(len(keyWords))] }

func (g *gen) key() string {
	if g.r.IntN(10) == 0 {
		return g.text()
	}
	parts := make([]string, 1+g.r.IntN(4))
	for i := range parts {
		parts[i] = g.word()
	}
	return strings.Join(parts, ".")
}

// text returns random text including characters that need escaping.
func (g *gen) text() string {
	pieces := []string{"a", "Z", " ", "  ", "\t", "\n", "<", ">", "&", "\"", "'", "é", "日本", "😀", "$(TEAM_ID)", "--", "]]", "group.", "x-y"}
	var b strings.Builder
	for i, n := 0, g.r.IntN(8); i < n; i++ {
		b.WriteString(pieces[g.r.IntN(len(pieces))])
	}
	return b.String()
}

// escape writes s as XML character data using a random mix of entities,
// character references and CDATA.
func (g *gen) escape(s string) string {
	if s != "" && !strings.Contains(s, "]]>") && g.r.IntN(6) == 0 {
		return "<![CDATA[" + s + "]]>"
	}
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '<':
			b.WriteString([]string{"&lt;", "&#60;", "&#x3C;"}[g.r.IntN(3)])
		case c == '&':
			b.WriteString([]string{"&amp;", "&#38;"}[g.r.IntN(2)])
		case c == '>' && (g.r.IntN(2) == 0 || strings.HasSuffix(b.String(), "]]")):
			b.WriteString("&gt;")
		case c == '"' && g.r.IntN(2) == 0:
			b.WriteString("&quot;")
		case c == '\'' && g.r.IntN(2) == 0:
			b.WriteString("&apos;")
		case c > 127 && g.r.IntN(3) == 0:
			fmt.Fprintf(&b, "&#x%X;", c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// mutate applies a few random byte edits that tend to break XML structure.
func (g *gen) mutate(s string) string {
	b := []byte(s)
	alphabet := []byte("<>/&;\"'-!?[]=x \n\x00\xff")
	for i, n := 0, 1+g.r.IntN(3); i < n && len(b) > 0; i++ {
		p := g.r.IntN(len(b))
		switch g.r.IntN(4) {
		case 0: // delete
			b = append(b[:p], b[p+1:]...)
		case 1: // insert
			b = append(b[:p], append([]byte{alphabet[g.r.IntN(len(alphabet))]}, b[p:]...)...)
		case 2: // replace
			b[p] = alphabet[g.r.IntN(len(alphabet))]
		default: // truncate
			b = b[:p]
		}
	}
	return string(b)
}

// entitlements builds an entitlements-like document of roughly size bytes,
// in Xcode's style, for benchmarks and size tests.
func entitlements(size int) []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n")
	for i := 0; b.Len() < size-30; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "\t<key>com.apple.security.application-groups.%d</key>\n\t<array>\n\t\t<string>group.com.example.app%d</string>\n\t\t<string>$(TeamIdentifierPrefix)com.example.shared</string>\n\t</array>\n", i, i)
		case 1:
			fmt.Fprintf(&b, "\t<key>com.apple.security.app-sandbox.%d</key>\n\t<true/>\n", i)
		case 2:
			fmt.Fprintf(&b, "\t<key>aps-environment.%d</key>\n\t<string>development</string>\n", i)
		case 3:
			fmt.Fprintf(&b, "\t<key>com.apple.developer.icloud-services.%d</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t\t<string>CloudDocuments</string>\n\t</array>\n", i)
		default:
			fmt.Fprintf(&b, "\t<key>com.apple.developer.nested.%d</key>\n\t<dict>\n\t\t<key>limit</key>\n\t\t<integer>%d</integer>\n\t\t<key>enabled</key>\n\t\t<false/>\n\t</dict>\n", i, i*7)
		}
	}
	b.WriteString("</dict>\n</plist>\n")
	return []byte(b.String())
}
