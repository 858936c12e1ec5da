package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestZZExplore(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("<key>com.apple.security.app-sandbox</key>\n"), 100<<20/42)
	arr := "<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array>\n" + strings.Repeat("<string/>", 1_000_000) + "</array></dict></plist>"
	line := "<plist version=\"1.0\"><dict><key>a</key><string>" + strings.Repeat("x", 10<<20-100) + "</string></dict></plist>"
	key := "<plist version=\"1.0\"><dict><key>" + strings.Repeat("k", 1<<20) + "</key><true/></dict></plist>"
	for name, data := range map[string][]byte{"big": big, "arr": []byte(arr), "line": []byte(line), "key": []byte(key)} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		for _, format := range []string{"text", "json"} {
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		start := time.Now()
		var out, errb bytes.Buffer
		code := Main([]string{"check", "--format", format, p}, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		el := time.Since(start)
		runtime.ReadMemStats(&b)
		t.Logf("%s %s: size %d code %d time %v alloc %d MB (%.1fx) out %d bytes err %q", name, format, len(data), code, el, (b.TotalAlloc-a.TotalAlloc)>>20, float64(b.TotalAlloc-a.TotalAlloc)/float64(len(data)), out.Len(), errb.String())
		if out.Len() < 3000 { t.Log(out.String()) } else { t.Log(out.String()[:3000]) }
		}
	}
	_ = io.Discard
}
