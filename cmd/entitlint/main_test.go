package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// Colors and indented JSON are for a person at a terminal: /dev/null is a
// character device but not a terminal, and neither is a pipe or a file.
func TestIsTerminalOnlyForTerminals(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, f := range map[string]*os.File{os.DevNull: devNull, "a pipe": w, "a file": file} {
		if isTerminal(f) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
}

// Every command, the language server included, pays for the package
// initialisers before doing anything: they must stay light. (Compiling
// `entitlint why`'s message patterns there cost 1.3 MB and 2 ms per start.)
// Allocation is what is checked, because it does not depend on the machine.
func TestInitialisersAreLight(t *testing.T) {
	const budget = 256 << 10
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// init github.com/entitlint/entitlint/rules @2.3 ms, 0.18 ms clock, 47312 bytes, 438 allocs
	line := regexp.MustCompile(`(?m)^init (github\.com/entitlint/\S+) @.*, (\d+) bytes, \d+ allocs$`)
	total, seen := 0, 0
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[2])
		total += n
		seen++
		if n > budget/4 {
			t.Errorf("package %s allocates %d bytes when it initialises", m[1], n)
		}
	}
	if seen == 0 {
		t.Fatalf("no init trace for entitlint's packages in:\n%s", out)
	}
	if total > budget {
		t.Errorf("entitlint's %d packages allocate %d bytes when they initialise, over %d", seen, total, budget)
	}
	t.Logf("%d packages, %d bytes", seen, total)
}
