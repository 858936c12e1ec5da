package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
)

type formatter func(w io.Writer, results []*fileResult, st style) error

// style says who reads the output.
type style struct {
	Color    bool // ANSI colors in text output
	Terminal bool // a person at a terminal: indented JSON
}

var formats = map[string]formatter{
	"text":   formatText,
	"json":   formatJSON,
	"sarif":  formatSARIF,
	"github": formatGitHub,
}

// position is a 1-based line and code-point column (the JSON contract).
type position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonRange struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

func (r *fileResult) rangeOf(s plistxml.Span) jsonRange {
	if !s.IsValid() {
		return jsonRange{position{1, 1}, position{1, 1}}
	}
	idx := r.Index()
	sl, sc := idx.Position(s.Start)
	el, ec := idx.Position(s.End)
	return jsonRange{position{sl, sc}, position{el, ec}}
}

// JSON output, version 1. Fields are only ever added.
type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	File     string        `json:"file"`
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Range    jsonRange     `json:"range"`
	Fixes    []jsonFix     `json:"fixes"`
	Related  []jsonRelated `json:"related,omitempty"`
}

type jsonFix struct {
	Title string     `json:"title"`
	Safe  bool       `json:"safe"`
	Edits []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Range   jsonRange `json:"range"`
	NewText string    `json:"newText"`
}

type jsonRelated struct {
	Range   jsonRange `json:"range"`
	Message string    `json:"message"`
}

func formatJSON(w io.Writer, results []*fileResult, st style) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if st.Terminal {
		// Indented for people reading it on a terminal.
		rep := jsonReport{Version: 1, Findings: []jsonFinding{}}
		for _, r := range results {
			if r.Err == nil {
				rep.Findings = append(rep.Findings, r.jsonFindings()...)
			}
		}
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
		return bw.Flush()
	}
	// Compact for pipes and CI: the bytes json.Encoder would write for a
	// jsonReport, put together from each file's findings, which the
	// workers encoded in parallel (encodedJSON) rather than here, after
	// everything else.
	bw.WriteString(`{"version":1,"findings":[`)
	first := true
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		chunk := r.json
		if chunk == nil {
			chunk = r.encodedJSON()
		}
		if len(chunk) == 0 {
			continue
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.Write(chunk)
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// jsonFindings converts one file's findings to the JSON contract.
func (r *fileResult) jsonFindings() []jsonFinding {
	out := make([]jsonFinding, 0, len(r.Result.Findings))
	for _, f := range r.Result.Findings {
		jf := jsonFinding{File: r.Path, Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message,
			Range: r.rangeOf(f.Span), Fixes: []jsonFix{}}
		for _, fx := range f.Fixes {
			jx := jsonFix{Title: fx.Title, Safe: fx.Safe, Edits: []jsonEdit{}}
			for _, e := range fx.Edits {
				jx.Edits = append(jx.Edits, jsonEdit{Range: r.rangeOf(e.Span), NewText: e.NewText})
			}
			jf.Fixes = append(jf.Fixes, jx)
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Range: r.rangeOf(rel.Span), Message: rel.Message})
		}
		out = append(out, jf)
	}
	return out
}

// encodedJSON returns one file's findings as compact JSON array elements
// separated by commas, encoded as json.Encoder encodes them in a report.
func (r *fileResult) encodedJSON() []byte {
	if len(r.Result.Findings) == 0 {
		return nil
	}
	jfs := r.jsonFindings()
	parts := make([][]byte, len(jfs))
	size := len(jfs)
	for i, jf := range jfs {
		data, err := json.Marshal(jf)
		if err != nil {
			// Every field is a string, number or bool: Marshal cannot
			// fail, but a finding must not vanish if it ever did.
			data, _ = json.Marshal(jsonFinding{File: r.Path, Rule: jf.Rule, Severity: jf.Severity,
				Message: jf.Message, Range: jf.Range, Fixes: []jsonFix{}})
		}
		parts[i] = data
		size += len(data)
	}
	b := make([]byte, 0, size) // one allocation, not a doubling per finding
	for i, data := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, data...)
	}
	return b
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func severityColor(s rules.Severity) string {
	switch s {
	case rules.Error:
		return ansiRed
	case rules.Warning:
		return ansiYellow
	case rules.Info:
		return ansiBlue
	}
	return ansiCyan
}

// formatText prints file:line:col: severity: message [rule], then the source
// line with carets under the range and the titles of the fixes.
func formatText(w io.Writer, results []*fileResult, st style) error {
	color := st.Color
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	counts := map[rules.Severity]int{}
	filesWith := 0
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		if len(r.Result.Findings) > 0 {
			filesWith++
		}
		for _, f := range r.Result.Findings {
			counts[f.Severity]++
			rg := r.rangeOf(f.Span)
			fmt.Fprintf(bw, "%s:%d:%d: %s: %s %s\n", paint(ansiBold, printable(r.Path)), rg.Start.Line, rg.Start.Column,
				paint(severityColor(f.Severity), f.Severity.String()), printable(f.Message), paint(ansiDim, "["+f.Rule+"]"))
			if f.Span.IsValid() {
				writeSnippet(bw, r, f.Span, paint)
			}
			for _, fx := range f.Fixes {
				fmt.Fprintf(bw, "      = %s %s\n", paint(ansiCyan, "fix:"), printable(fx.Title))
			}
		}
	}
	var parts []string
	for _, s := range []rules.Severity{rules.Error, rules.Warning, rules.Info, rules.Hint} {
		if n := counts[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	checked := 0
	for _, r := range results {
		if r.Err == nil {
			checked++
		}
	}
	if len(parts) == 0 {
		fmt.Fprintf(bw, "no problems in %s\n", plural(checked, "file"))
	} else {
		fmt.Fprintf(bw, "%s in %s (%s checked)\n", strings.Join(parts, ", "), plural(filesWith, "file"), plural(checked, "file"))
	}
	return bw.Flush()
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	if strings.HasSuffix(word, "x") || strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// writeSnippet prints the first line of span with a caret line under it.
// Tabs before the range are kept in the caret line so that it lines up.
func writeSnippet(w io.Writer, r *fileResult, span plistxml.Span, paint func(string, string) string) {
	idx := r.Index()
	line := idx.Line(span.Start)
	start, end := idx.LineStart(line), idx.LineEnd(line)
	text := r.Src[start:end]
	const maxLine = 200
	if len(text) > maxLine || !utf8.Valid(text) {
		return // a minified or binary line is not worth echoing
	}
	gutter := fmt.Sprintf("%5d | ", line+1)
	fmt.Fprintf(w, "%s%s\n", paint(ansiDim, gutter), printable(string(text)))
	var pad strings.Builder
	for _, c := range string(r.Src[start:span.Start]) {
		if c == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	spanEnd := span.End
	if spanEnd > end {
		spanEnd = end
	}
	n := utf8.RuneCount(r.Src[span.Start:max(span.Start, spanEnd)])
	if n == 0 {
		n = 1
	}
	fmt.Fprintf(w, "%s%s%s\n", paint(ansiDim, "      | "), pad.String(), paint(ansiRed, strings.Repeat("^", n)))
}

// formatGitHub prints GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request.
func formatGitHub(w io.Writer, results []*fileResult, _ style) error {
	bw := bufio.NewWriter(w)
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		for _, f := range r.Result.Findings {
			rg := r.rangeOf(f.Span)
			level := "notice"
			switch f.Severity {
			case rules.Error:
				level = "error"
			case rules.Warning:
				level = "warning"
			}
			fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", level,
				ghProperty(printable(r.Path)), rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column,
				ghProperty("entitlint "+f.Rule), ghData(printable(f.Message)))
		}
	}
	return bw.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
