package rules

import (
	"regexp"
	"testing"
)

// The hand-written matchers accept exactly what the expressions they
// replaced accept.
func TestIdentifierMatchersAgreeWithRegexps(t *testing.T) {
	matchers := []struct {
		name string
		re   *regexp.Regexp
		fn   func(string) bool
	}{
		{"isHostLabel", regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`), isHostLabel},
		{"hasTeamIDPrefix", regexp.MustCompile(`^[A-Z0-9]{10}\.`), hasTeamIDPrefix},
		{"isGroupName", regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-_]*$`), isGroupName},
	}
	inputs := []string{"", "a", "-", "a-", "-a", "a-b", "a--b", "ab", "A1", "é", "xn--bcher-kva", "a_b", "a.b", "a b",
		"a\n", "\na", "ABCDE12345.", "ABCDE12345.com.x", "abcde12345.x", "ABCDE1234.x", "ABCDE123456.x", "ABCDE12345x",
		"ABCDE-2345.x", "com.example.shared", ".com", "com..x", "_x", "x_", "x$", "group.com.example", "😀", "a\x00"}
	// and every string of up to two characters from a small alphabet
	alphabet := []string{"a", "Z", "0", "-", ".", "_", " ", "\n", "é"}
	for _, a := range alphabet {
		inputs = append(inputs, a)
		for _, b := range alphabet {
			inputs = append(inputs, a+b, "ABCDE12345."+a+b)
		}
	}
	for _, m := range matchers {
		for _, in := range inputs {
			if got, want := m.fn(in), m.re.MatchString(in); got != want {
				t.Errorf("%s(%q) = %v, the expression says %v", m.name, in, got, want)
			}
		}
	}
}

func FuzzIdentifierMatchers(f *testing.F) {
	host := regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	team := regexp.MustCompile(`^[A-Z0-9]{10}\.`)
	group := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-_]*$`)
	f.Add("ABCDE12345.com.example")
	f.Add("xn--a-b")
	f.Fuzz(func(t *testing.T, s string) {
		if isHostLabel(s) != host.MatchString(s) || hasTeamIDPrefix(s) != team.MatchString(s) || isGroupName(s) != group.MatchString(s) {
			t.Errorf("a matcher disagrees with its expression on %q", s)
		}
	})
}
