// Package errdecode explains the signing, installation, upload and runtime
// messages that are about entitlements: it recognises the message, names
// the entitlement keys involved, says what the message means and what to
// do, using the catalog (a hallucinated key gets what is right instead, a
// real key its restriction and capability, a private key "remove it"), and
// finds the offending lines in entitlements files.
//
// Messages come from Xcode, App Store Connect (Transporter, altool, e-mail),
// installd (device installs), taskgated-helper, the kernel, codesign and
// the privacy system. Input is whatever a user pastes: several messages at
// once, wrapped lines, curly quotes, "error:" and "Xcode:" prefixes.
package errdecode

import (
	"regexp"
	"sort"
	"strings"

	"github.com/entitlint/entitlint/catalog"
)

// Decoded is one recognised message.
type Decoded struct {
	// Kind is a stable ID for the kind of message, e.g.
	// "profile-missing-entitlement".
	Kind string `json:"kind"`
	// Title says what the message is, in one line.
	Title string `json:"title"`
	// Source is the tool that prints it: "Xcode", "App Store Connect",
	// "device install", "macOS (taskgated-helper)", "kernel", "codesign",
	// "privacy (TCC)".
	Source string `json:"source"`
	// Message is the matched text, with quotes and spacing normalised.
	Message string `json:"message"`
	// Line is the 1-based line of the input the message starts on.
	Line int `json:"line"`
	// Keys are the entitlement keys the message is about, with what the
	// catalog says of each.
	Keys []KeyInfo `json:"keys,omitempty"`
	// Values quoted by the message (an app group, a key value, an
	// executable path).
	Values []string `json:"values,omitempty"`
	// InfoPlistKeys are Info.plist keys the message names (purpose strings).
	InfoPlistKeys []string `json:"infoPlistKeys,omitempty"`
	// Meaning explains the message; Actions say what to do, in order.
	Meaning string   `json:"meaning"`
	Actions []string `json:"actions"`

	// line hint for AMFI messages ("near line N").
	nearLine int
	start    int // offset in the normalised input, for ordering
}

// KeyInfo is what the catalog says about a key named by a message.
type KeyInfo struct {
	Key string `json:"key"`
	// Status is "real", "hallucinated", "private", "info-plist" or
	// "unknown".
	Status string `json:"status"`
	// Advice explains the key in the message's context.
	Advice string `json:"advice"`
	// Replacement is the key to use instead, for hallucinations with one.
	Replacement string `json:"replacement,omitempty"`
	// InfoPlistKey (and InfoPlistValue) say where in Info.plist a key that
	// is not an entitlement belongs.
	InfoPlistKey   string `json:"infoPlistKey,omitempty"`
	InfoPlistValue string `json:"infoPlistValue,omitempty"`
}

// Result is the outcome of decoding an input.
type Result struct {
	Decoded []*Decoded
	// Unrecognised holds the parts of the input that look like messages
	// but match nothing entitlint knows (trimmed, at most a few).
	Unrecognised []string
}

// Recognised reports whether at least one message was recognised.
func (r *Result) Recognised() bool { return len(r.Decoded) > 0 }

// pattern recognises one kind of message.
type pattern struct {
	kind string
	re   *regexp.Regexp
	// build turns a match into a Decoded (nil for context-only patterns
	// such as "Automatic signing failed", which only claim their text).
	build func(m []string, cat *catalog.Catalog) *Decoded
	// tail: the message goes on with boilerplate (App Store Connect's
	// advice paragraphs); the lines after the match, up to a blank line or
	// the next message, belong to it.
	tail bool
}

// normalise makes pasted text regular: typographic quotes become ASCII,
// exotic spaces become spaces, CRLF becomes LF. Lines are kept.
var normaliser = strings.NewReplacer(
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u2032", "'", "`", "'",
	"\u00a0", " ", "\u2009", " ", "\u202f", " ", "\u2007", " ", "\t", " ",
	"\r\n", "\n", "\r", "\n",
	"\u2013", "-", "\u2014", "-",
)

func normalise(s string) string { return normaliser.Replace(s) }

// collapse joins a matched message onto one line with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

type claim struct{ start, end int }

// Decode recognises every entitlements-related message in input. The
// catalog (nil means catalog.Builtin()) explains the keys.
func Decode(input string, cat *catalog.Catalog) *Result {
	if cat == nil {
		cat = catalog.Builtin()
	}
	text := normalise(input)
	var claims []claim
	overlaps := func(s, e int) bool {
		for _, c := range claims {
			if s < c.end && c.start < e {
				return true
			}
		}
		return false
	}
	var found []*Decoded
	var tails []claim
	var context []claim // text claimed by Xcode's signing preambles
	for _, p := range patterns() {
		for _, loc := range p.re.FindAllStringSubmatchIndex(text, -1) {
			if overlaps(loc[0], loc[1]) {
				continue
			}
			claims = append(claims, claim{loc[0], loc[1]})
			if p.build == nil {
				if p.kind == "context-signing" {
					context = append(context, claim{loc[0], loc[1]})
				}
				continue
			}
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = text[loc[2*i]:loc[2*i+1]]
				}
			}
			d := p.build(m, cat)
			if d == nil {
				continue
			}
			d.Kind = p.kind
			d.Message = collapse(m[0])
			d.start = loc[0]
			d.Line = 1 + strings.Count(text[:loc[0]], "\n")
			found = append(found, d)
			if p.tail {
				tails = append(tails, claim{loc[0], loc[1]})
			}
		}
	}
	for _, t := range tails {
		claims = append(claims, claim{t.end, tailEnd(text, t.end, overlaps)})
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].start < found[j].start })
	found = mergeRepeats(found, text)
	if len(found) == 0 && len(context) > 0 {
		// "Automatic signing failed" on its own: the real message is
		// missing, but the usual cause is known.
		sort.Slice(context, func(i, j int) bool { return context[i].start < context[j].start })
		c := context[0]
		d := genericSigningFailure(collapse(text[c.start:c.end]))
		d.Line = 1 + strings.Count(text[:c.start], "\n")
		found = append(found, d)
	}
	if len(found) == 0 {
		// Framing text alone ("Validation failed (409)" before a message
		// entitlint does not know) recognises nothing.
		claims = nil
	}
	return &Result{Decoded: found, Unrecognised: leftovers(text, claims)}
}

// mergeRepeats folds repeated messages of one kind about the same keys in
// one paragraph (installd prints the 0xe8008016 text twice, Transporter
// repeats the code) into the first.
func mergeRepeats(found []*Decoded, text string) []*Decoded {
	var out []*Decoded
	for _, d := range found {
		if n := len(out); n > 0 {
			prev := out[n-1]
			between := text[prev.start:d.start]
			if prev.Kind == d.Kind && keySig(prev) == keySig(d) && !strings.Contains(between, "\n\n") &&
				strings.Join(prev.Values, "\x00") == strings.Join(d.Values, "\x00") {
				if len(d.Message) > len(prev.Message) {
					prev.Message = d.Message
				}
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

func keySig(d *Decoded) string {
	var b strings.Builder
	for _, k := range d.Keys {
		b.WriteString(k.Key + ",")
	}
	return b.String()
}

// newMessage starts a line that begins another message.
var newMessage = regexp.MustCompile(`^\s*(?:(?:error|warning|fatal)\b|ITMS-\d+|(?:Asset\s+)?validation\s+failed|❌|⚠️)`)

// tailEnd extends a message from end over the following lines, up to a
// blank line, a line that starts another message, or recognised text.
func tailEnd(text string, end int, claimed func(s, e int) bool) int {
	nl := strings.IndexByte(text[end:], '\n')
	if nl < 0 {
		return len(text)
	}
	pos := end + nl + 1
	for pos < len(text) {
		le := strings.IndexByte(text[pos:], '\n')
		lineEnd := len(text)
		if le >= 0 {
			lineEnd = pos + le + 1
		}
		line := text[pos:lineEnd]
		if strings.TrimSpace(line) == "" || newMessage.MatchString(strings.ToLower(line)) || claimed(pos, lineEnd) {
			break
		}
		pos = lineEnd
	}
	return pos
}

// errorMarker starts a line that is a message of its own.
var errorMarker = regexp.MustCompile(`^\s*(?:error|warning|fatal|ERROR|WARNING|Error|Warning)\b|^\s*(?:❌|⚠️)`)

// leftovers returns the parts of the input that look like messages but were
// not recognised: runs of consecutive lines with no recognised text (a line
// that is partly recognised belongs to the recognised message).
func leftovers(text string, claims []claim) []string {
	claimed := func(s, e int) bool {
		for _, c := range claims {
			if s < c.end && c.start < e {
				return true
			}
		}
		return false
	}
	var out, run []string
	flush := func() {
		if s := collapse(strings.Join(run, " ")); substantial(s) {
			out = append(out, s)
		}
		run = run[:0]
	}
	off := 0
	for _, l := range strings.SplitAfter(text, "\n") {
		s, e := off, off+len(l)
		off = e
		switch {
		case strings.TrimSpace(l) == "" || claimed(s, e):
			flush()
		case errorMarker.MatchString(l):
			flush()
			run = append(run, l)
		default:
			run = append(run, l)
		}
	}
	flush()
	const maxShown, maxLen = 5, 160
	for i, s := range out {
		if len(s) > maxLen {
			out[i] = s[:maxLen] + "…"
		}
	}
	if len(out) > maxShown {
		out = append(out[:maxShown], "…")
	}
	return out
}

// substantial: worth reporting as an unrecognised message (not "error:" or a
// lone timestamp).
func substantial(s string) bool {
	letters := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			letters++
		}
	}
	return letters >= 12
}
