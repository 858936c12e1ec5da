package xcodeproj

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// maxIncludeDepth bounds #include chains in .xcconfig files.
const maxIncludeDepth = 16

// readXCConfig reads an .xcconfig file and the files it includes into one
// layer (included settings come where the #include is). Problems are
// returned as warnings; what could be read is kept.
func readXCConfig(file string) (layer, []string) {
	var out layer
	var warns []string
	seen := map[string]bool{}
	var read func(file string, depth int)
	read = func(file string, depth int) {
		if depth > maxIncludeDepth {
			warns = append(warns, fmt.Sprintf("%s: #include nested too deeply", file))
			return
		}
		if seen[file] {
			return // an include cycle: Xcode reports it; we read each file once
		}
		seen[file] = true
		data, err := os.ReadFile(file)
		if err != nil {
			warns = append(warns, fmt.Sprintf("build settings file %s: %v", file, cleanPathErr(err)))
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if i := strings.Index(line, "//"); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if strings.HasPrefix(line, "#include") {
				optional := strings.HasPrefix(line, "#include?")
				rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "#include?"), "#include"))
				inc := strings.Trim(rest, `"`)
				if inc == "" || strings.HasPrefix(inc, "<") {
					continue // <DEVELOPER_DIR>/… and friends: outside the project
				}
				if !filepath.IsAbs(inc) {
					inc = filepath.Join(filepath.Dir(file), inc)
				}
				if _, err := os.Stat(inc); err != nil && optional {
					continue
				}
				read(inc, depth+1)
				continue
			}
			name, value, ok := cutAssignment(line)
			if !ok {
				continue
			}
			n, conds, ok := parseAssignmentName(name)
			if !ok {
				continue
			}
			value = strings.TrimSuffix(strings.TrimSpace(value), ";")
			out = append(out, assignment{name: n, conds: conds, value: strings.TrimSpace(value)})
		}
	}
	read(file, 0)
	return out, warns
}

// cutAssignment splits `NAME[sdk=macosx*] = value` at the first '=' outside
// the condition brackets.
func cutAssignment(line string) (name, value string, ok bool) {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '=':
			if depth == 0 {
				return line[:i], line[i+1:], true
			}
		}
	}
	return "", "", false
}

// cleanPathErr drops the operation and path from an *os.PathError.
func cleanPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
