package cli

import (
	"strings"
	"testing"
	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/plistxml"
)

func BenchmarkZZArr(b *testing.B) {
	arr := []byte("<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array>\n" + strings.Repeat("<string/>", 1_000_000) + "</array></dict></plist>")
	b.ReportAllocs()
	for b.Loop() {
		rules.Check(arr, rules.Options{})
	}
}
func BenchmarkZZArrParse(b *testing.B) {
	arr := []byte("<plist version=\"1.0\"><dict><key>com.apple.security.application-groups</key><array>\n" + strings.Repeat("<string/>", 1_000_000) + "</array></dict></plist>")
	b.ReportAllocs()
	for b.Loop() {
		plistxml.Parse(arr)
	}
}
