package xcodeproj

import (
	"path"
	"regexp"
	"strings"
)

// assignment is one build-setting line: NAME[cond=pattern]… = value.
type assignment struct {
	name  string
	conds []condition
	value string
}

type condition struct{ key, pattern string }

// layer is one level of build settings (an .xcconfig file, or a build
// configuration's buildSettings), in the order they were written.
type layer []assignment

var settingName = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]*\])*)$`)

// parseAssignmentName splits `CODE_SIGN_ENTITLEMENTS[sdk=macosx*][arch=*]`.
func parseAssignmentName(s string) (string, []condition, bool) {
	m := settingName.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", nil, false
	}
	var conds []condition
	rest := m[2]
	for rest != "" {
		end := strings.IndexByte(rest, ']')
		if !strings.HasPrefix(rest, "[") || end < 0 {
			return "", nil, false
		}
		k, v, ok := strings.Cut(rest[1:end], "=")
		if !ok {
			return "", nil, false
		}
		conds = append(conds, condition{strings.TrimSpace(k), strings.TrimSpace(v)})
		rest = rest[end+1:]
	}
	return m[1], conds, true
}

// env is what conditions and variables are evaluated against.
type env struct {
	sdk    string // "iphoneos", "macosx", … ("" when unknown)
	config string // "Debug", "Release"
}

// matches reports whether every condition holds. Unknown condition kinds
// (arch, variant…) match only the pattern "*": entitlint does not build per
// architecture.
func (c condition) matches(e env) bool {
	var v string
	switch c.key {
	case "sdk":
		v = e.sdk
	case "config":
		v = e.config
	default:
		return c.pattern == "*"
	}
	if v == "" {
		return false
	}
	ok, err := path.Match(c.pattern, v)
	return err == nil && ok
}

// stack is the ordered list of layers for one build configuration of one
// target, lowest precedence first: the project's .xcconfig, the project's
// settings, the target's .xcconfig, the target's settings.
type stack []layer

// raw returns the value of name under e before variable expansion (but with
// $(inherited) resolved), and whether any layer sets it.
//
// Within a layer, assignments apply in order ($(inherited) in a later line
// of an .xcconfig refers to the earlier one, or to an included file); then
// the conditional assignments that match apply in order: Xcode gives a
// matching condition precedence over the plain setting of the same level.
func (s stack) raw(name string, e env) (string, bool) {
	val, set := "", false
	apply := func(a *assignment) {
		v := strings.ReplaceAll(a.value, "$(inherited)", val)
		v = strings.ReplaceAll(v, "${inherited}", val)
		val, set = strings.TrimSpace(v), true
	}
	for _, l := range s {
		for i := range l {
			if a := &l[i]; a.name == name && len(a.conds) == 0 {
				apply(a)
			}
		}
		for i := range l {
			a := &l[i]
			if a.name != name || len(a.conds) == 0 {
				continue
			}
			all := true
			for _, c := range a.conds {
				if !c.matches(e) {
					all = false
					break
				}
			}
			if all {
				apply(a)
			}
		}
	}
	return val, set
}

var varRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)((?::[^()]*)?)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)((?::[^{}]*)?)\}`)

// resolver expands build-setting references for one target, configuration
// and SDK.
type resolver struct {
	st       stack
	env      env
	builtins map[string]string
}

// value returns the expanded value of a setting, or "" when unset.
func (r *resolver) value(name string) string {
	return r.expandName(name, 0)
}

func (r *resolver) lookup(name string, depth int) (string, bool) {
	if v, ok := r.st.raw(name, r.env); ok {
		return r.expand(v, depth+1), true
	}
	if v, ok := r.builtins[name]; ok {
		return v, true
	}
	switch name {
	case "PRODUCT_NAME":
		return r.lookup("TARGET_NAME", depth+1)
	case "PRODUCT_MODULE_NAME":
		v, ok := r.lookup("PRODUCT_NAME", depth+1)
		return c99Identifier(v), ok
	}
	return "", false
}

func (r *resolver) expandName(name string, depth int) string {
	v, _ := r.lookup(name, depth)
	return v
}

// expand replaces $(VAR), ${VAR} and their :modifiers. Unknown variables
// are left as written.
func (r *resolver) expand(s string, depth int) string {
	if depth > 16 || !strings.Contains(s, "$") {
		return s
	}
	return varRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := varRef.FindStringSubmatch(ref)
		name, mods := m[1], m[2]
		if name == "" {
			name, mods = m[3], m[4]
		}
		v, ok := r.lookup(name, depth)
		if !ok {
			if def, has := modifierDefault(mods); has {
				return def
			}
			return ref
		}
		return applyModifiers(v, mods)
	})
}

func modifierDefault(mods string) (string, bool) {
	for _, m := range strings.Split(strings.TrimPrefix(mods, ":"), ":") {
		if d, ok := strings.CutPrefix(m, "default="); ok {
			return d, true
		}
	}
	return "", false
}

func applyModifiers(v, mods string) string {
	if mods == "" {
		return v
	}
	for _, m := range strings.Split(strings.TrimPrefix(mods, ":"), ":") {
		switch {
		case m == "rfc1034identifier":
			v = rfc1034Identifier(v)
		case m == "c99extidentifier" || m == "identifier":
			v = c99Identifier(v)
		case m == "lower":
			v = strings.ToLower(v)
		case m == "upper":
			v = strings.ToUpper(v)
		case m == "base":
			v = strings.TrimSuffix(path.Base(v), path.Ext(v))
		case m == "file":
			v = path.Base(v)
		case m == "dir":
			v = path.Dir(v) + "/"
		case strings.HasPrefix(m, "default="):
			if v == "" {
				v = strings.TrimPrefix(m, "default=")
			}
		}
	}
	return v
}

func rfc1034Identifier(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			b[i] = '-'
		}
	}
	return string(b)
}

func c99Identifier(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		return "_" + string(b)
	}
	return string(b)
}
