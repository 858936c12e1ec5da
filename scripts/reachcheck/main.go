// Command reachcheck proves part of entitlint's security model (docs/security.md):
// no function that opens a socket, starts a process or loads a plugin is
// reachable from entitlint's main. Dependencies do import net and net/http
// (jsonrpc2's listener helpers, zap's HTTP level handler), so an import
// check is not enough; this walks a call graph instead.
//
// The graph is variable type analysis (golang.org/x/tools/go/callgraph/vta)
// over class hierarchy analysis: sound for Go without reflection-driven
// calls, and imprecise in one known way (every sync.Once.Do call site
// reaches every function passed to any Once), which is why the forbidden
// list names the functions that actually dial, listen or fork rather than
// every syscall (net's IPv6 probe binds a socket, and is reached through
// any Once; it runs only when dialing or listening, which net.socket
// covers).
//
//	cd scripts/reachcheck && go run . ../..
//
// It prints the call chain to any forbidden function it reaches and exits 1.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/callgraph/cha"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// forbidden are the functions every network connection, listener, child
// process or plugin goes through.
var forbidden = []string{
	"net.socket", // every Dial and Listen
	"(*net.sysDialer).dialSerial",
	"(*net.sysListener).listenTCP",
	"(*net.sysListener).listenUDP",
	"(*net.sysListener).listenUnix",
	"(*net.Resolver).lookupHost",
	"syscall.connect",
	"syscall.Listen",
	"os.StartProcess",
	"syscall.forkExec",
	"(*os/exec.Cmd).Start",
	"plugin.Open",
}

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: root}
	pkgs, err := packages.Load(cfg, "./cmd/entitlint")
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		fmt.Fprintln(os.Stderr, "reachcheck: cannot load ./cmd/entitlint:", err)
		os.Exit(2)
	}
	prog, ssaPkgs := ssautil.AllPackages(pkgs, ssa.InstantiateGenerics)
	prog.Build()
	all := ssautil.AllFunctions(prog)
	cg := vta.CallGraph(all, cha.CallGraph(prog))
	cg.DeleteSyntheticNodes()

	// Roots: main and every package initialiser.
	var roots []*ssa.Function
	for _, p := range ssaPkgs {
		if f := p.Func("main"); f != nil {
			roots = append(roots, f)
		}
	}
	for f := range all {
		if f.Name() == "init" && f.Signature.Recv() == nil && f.Parent() == nil {
			roots = append(roots, f)
		}
	}
	parent := map[*ssa.Function]*ssa.Function{}
	seen := map[*ssa.Function]bool{}
	queue := roots
	for _, r := range roots {
		seen[r] = true
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		n := cg.Nodes[f]
		if n == nil {
			continue
		}
		for _, e := range n.Out {
			g := e.Callee.Func
			if !seen[g] {
				seen[g] = true
				parent[g] = f
				queue = append(queue, g)
			}
		}
	}

	bad := map[string]bool{}
	for _, name := range forbidden {
		bad[name] = true
	}
	// A forbidden name that matches no function would make the check
	// vacuous: count the ones the program contains.
	present := 0
	for f := range all {
		if bad[f.String()] {
			present++
			if os.Getenv("REACHCHECK_VERBOSE") != "" {
				fmt.Println("in the program:", f)
			}
		}
	}
	var found []string
	for f := range seen {
		if bad[f.String()] {
			chain := []string{f.String()}
			for p := parent[f]; p != nil && len(chain) < 40; p = parent[p] {
				chain = append(chain, p.String())
			}
			found = append(found, strings.Join(chain, "\n    <- "))
		}
	}
	sort.Strings(found)
	fmt.Printf("reachcheck: %d functions reachable from main and initialisers; %d of the %d forbidden functions are in the program\n", len(seen), present, len(forbidden))
	if len(found) > 0 {
		for _, c := range found {
			fmt.Println("REACHABLE:", c)
		}
		os.Exit(1)
	}
	fmt.Println("reachcheck: no socket, process or plugin function is reachable")
}
