package rules

import (
	"flag"
	"os"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/rules.md")

// TestReference keeps docs/rules.md in step with the rule definitions.
func TestReference(t *testing.T) {
	const path = "../docs/rules.md"
	got := Reference()
	if *update {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./rules -run TestReference -update)", err)
	}
	if string(want) != got {
		t.Errorf("docs/rules.md is out of date: run go test ./rules -run TestReference -update")
	}
}

var ruleID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestRuleDocs checks every rule is documented the way the reference needs.
func TestRuleDocs(t *testing.T) {
	required := []string{"syntax", "comment-double-hyphen", "duplicate-key", "unsupported-value-type", "hallucinated-key",
		"unknown-key", "private-entitlement", "info-plist-key", "wrong-type", "invalid-value", "app-group-id",
		"associated-domain", "wildcard-value", "platform-availability", "deprecated-key", "sandbox-only-key",
		"distribution", "needs-approval", "empty-value", "unused-suppression"}
	for _, id := range required {
		if _, ok := Lookup(id); !ok {
			t.Errorf("rule %s is missing", id)
		}
	}
	for _, r := range All() {
		if !ruleID.MatchString(r.ID) {
			t.Errorf("rule ID %q is not kebab-case", r.ID)
		}
		if r.Title == "" || len(r.Why) < 80 || r.Bad == "" || r.Good == "" {
			t.Errorf("rule %s: title, a real why paragraph, and bad/good examples are required", r.ID)
		}
		if r.Default < Error || r.Default > Hint {
			t.Errorf("rule %s: bad default severity %v", r.ID, r.Default)
		}
	}
}
