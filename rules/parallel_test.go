package rules

import (
	"reflect"
	"testing"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/internal/testgen"
	"github.com/entitlint/entitlint/plistxml"
)

// Large documents run their rules on several goroutines; what they report
// must be exactly what one goroutine reports, in the same order (run with
// -race, this also checks that the rules only read what they share).
func TestParallelRulesMatchSequential(t *testing.T) {
	for _, src := range [][]byte{testgen.Entitlements(300 << 10), testgen.LSPBench(300 << 10)} {
		doc := plistxml.Parse(src)
		opts := Options{Catalog: catalog.Builtin(), Severity: map[string]Severity{"empty-value": Error}}

		var sequential []Finding
		p := &Pass{Doc: doc, Opts: &opts, ctx: newContext(doc, &opts)}
		for _, r := range sortedRules() {
			p.runEnabled(r, &sequential)
		}
		if len(sequential) < 500 {
			t.Fatalf("only %d findings: the document is meant to have many", len(sequential))
		}
		for _, workers := range []int{2, 3, 8} {
			parallel := runParallel(newContext(doc, &opts), doc, &opts, workers)
			if !reflect.DeepEqual(parallel, sequential) {
				t.Fatalf("%d workers: %d findings, want the sequential run's %d (or a different order)",
					workers, len(parallel), len(sequential))
			}
		}
		if got, want := Run(doc, opts), sortFindings(sequential); !reflect.DeepEqual(got, want) {
			t.Errorf("Run on a %d-byte document differs from the sorted sequential findings", len(src))
		}
	}
}

// sortFindings orders by position, then rule, and keeps each rule's order
// among findings at the same position.
func TestSortFindingsIsStable(t *testing.T) {
	at := func(start, end int, rule, msg string) Finding {
		return Finding{Rule: rule, Span: plistxml.Span{Start: start, End: end}, Message: msg}
	}
	in := []Finding{at(9, 12, "b", "1"), at(3, 5, "b", "2"), at(3, 5, "a", "3"), at(3, 4, "z", "4"),
		at(9, 12, "b", "5"), at(3, 5, "b", "6")}
	want := []Finding{at(3, 4, "z", "4"), at(3, 5, "a", "3"), at(3, 5, "b", "2"), at(3, 5, "b", "6"),
		at(9, 12, "b", "1"), at(9, 12, "b", "5")}
	if got := sortFindings(in); !reflect.DeepEqual(got, want) {
		t.Errorf("sortFindings:\n got %v\nwant %v", got, want)
	}
}

// Many top-level keys are classified on two goroutines, each into its own
// half of the slice; every key must get its own answer.
func TestClassifyHalves(t *testing.T) {
	doc := plistxml.Parse(testgen.LSPBench(1 << 20))
	entries := doc.RootDict().Entries()
	if len(entries) < parallelClassify {
		t.Fatalf("%d keys: too few to be classified in parallel", len(entries))
	}
	cat := catalog.Builtin()
	// Into fresh memory, and into the memory of another document's classes
	// (as a run reuses it), larger and smaller.
	for _, dst := range [][]catalog.Class{nil, make([]catalog.Class, 10), make([]catalog.Class, 2*len(entries))} {
		for i := range dst {
			dst[i] = catalog.Class{Private: true, Key: &catalog.Key{}}
		}
		got := classify(dst, cat, entries)
		if len(got) != len(entries) {
			t.Fatalf("%d classes for %d keys", len(got), len(entries))
		}
		for i, e := range entries {
			if want := cat.Classify(e.Key); !reflect.DeepEqual(got[i], want) {
				t.Fatalf("key %d (%q), dst of %d: %+v, want %+v", i, e.Key, len(dst), got[i], want)
			}
		}
	}
}
