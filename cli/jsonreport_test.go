package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The compact JSON report is put together from findings the workers
// encoded; its bytes must be exactly json.Encoder's for the same report
// (HTML characters escaped, fields in order, empty lists as []).
func TestCompactJSONIsEncoderOutput(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "json", "../testdata/examples", "../testdata/corpus"},
		{"check", "--format", "json", "--jobs", "1", "../testdata/examples"},
		{"check", "--format", "json", "--rule", "unknown-key=off", "../testdata/examples/iOSApp.entitlements"},
	} {
		out, _, _ := run(t, "", args...)
		var rep jsonReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: not JSON: %v", args, err)
		}
		if len(rep.Findings) == 0 && !strings.Contains(strings.Join(args, " "), "iOSApp") {
			t.Fatalf("%v: no findings: the test checks nothing", args)
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(rep); err != nil {
			t.Fatal(err)
		}
		if out != want.String() {
			t.Errorf("%v: the report is not json.Encoder's encoding of itself\n got %.300q\nwant %.300q", args, out, want.String())
		}
		if len(rep.Findings) > 0 && !strings.Contains(out, `\u003c`) {
			t.Logf("%v: no '<' in any message: HTML escaping not exercised", args)
		}
	}
}
