package rules

// Hand-written matchers for the identifier shapes the value rules check on
// every string: a regular expression took more time than the rest of
// those rules (idsyntax_test.go checks them against the expressions).

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isHostLabel reports whether l is a DNS label: letters, digits and
// hyphens, not starting or ending with a hyphen
// (^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$).
func isHostLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if !isAlnum(l[i]) && l[i] != '-' {
			return false
		}
	}
	return true
}

// hasTeamIDPrefix reports whether s starts with a Team ID and a dot
// (^[A-Z0-9]{10}\.).
func hasTeamIDPrefix(s string) bool {
	if len(s) < 11 || s[10] != '.' {
		return false
	}
	for i := 0; i < 10; i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isGroupName reports whether s may follow "group." or "TEAMID.": a letter
// or digit, then letters, digits, dots, hyphens and underscores
// (^[A-Za-z0-9][A-Za-z0-9.\-_]*$).
func isGroupName(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
