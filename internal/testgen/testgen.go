// Package testgen generates entitlements files of a given size for
// benchmarks and stress tests. The output looks like what Xcode writes
// (tabs, the Apple DOCTYPE) and mixes real keys, arrays of identifiers and
// a few mistakes, so that every rule has work to do.
package testgen

import (
	"bytes"
	"fmt"
	"strings"
)

var header = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
`

const footer = "</dict>\n</plist>\n"

// blocks are repeated (with a counter to keep keys distinct where that
// matters) until the file reaches the requested size.
var blocks = []string{
	"\t<key>aps-environment</key>\n\t<string>development</string>\n",
	"\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.com.example.shared%d</string>\n\t\t<string>$(TeamIdentifierPrefix)com.example.mac%d</string>\n\t</array>\n",
	"\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<string>applinks:example%d.com</string>\n\t\t<string>webcredentials:example.com</string>\n\t</array>\n",
	"\t<!-- keychain sharing for the app and its extensions -->\n\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>$(AppIdentifierPrefix)com.example.app%d</string>\n\t</array>\n",
	"\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t</array>\n",
	"\t<key>com.example.custom-flag-%d</key>\n\t<true/>\n",
	"\t<key>com.apple.developer.app-groups</key>\n\t<array>\n\t\t<string>group.example%d</string>\n\t</array>\n",
	"\t<key>com.apple.security.network.client</key>\n\t<string>YES</string>\n",
}

// fillCounter replaces every %d in a block with n.
func fillCounter(blk string, n int) string {
	return string(bytes.ReplaceAll([]byte(blk), []byte("%d"), []byte(fmt.Sprint(n))))
}

// Entitlements returns a document of at least size bytes (and at most one
// block more).
func Entitlements(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 512)
	b.WriteString(header)
	for i := 0; b.Len()+len(footer) < size; i++ {
		blk := blocks[i%len(blocks)]
		b.WriteString(fillCounter(blk, i))
	}
	b.WriteString(footer)
	return b.Bytes()
}

// Sizes are the sizes benchmarks report, smallest first.
var Sizes = []struct {
	Name  string
	Bytes int
}{
	{"2KB", 2 << 10},
	{"100KB", 100 << 10},
	{"1MB", 1 << 20},
	{"5MB", 5 << 20},
}

// LSPBench returns a document shaped like the one the lspcheck latency
// benchmark (lspbench.mjs) generates: the keys of a real Mac app, then
// synthetic com.example.synthetic.NNNNNN entries of every value type until
// the size is reached. Benchmarks on it predict what that judge measures.
func LSPBench(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 256)
	b.WriteString(header)
	real := "\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n" +
		"\t<key>com.apple.security.network.client</key>\n\t<true/>\n" +
		"\t<key>com.apple.security.files.user-selected.read-only</key>\n\t<true/>\n" +
		"\t<key>com.apple.application-identifier</key>\n\t<string>ABCDE12345.com.example.app</string>\n" +
		"\t<key>com.apple.developer.team-identifier</key>\n\t<string>ABCDE12345</string>\n" +
		"\t<key>aps-environment</key>\n\t<string>development</string>\n" +
		"\t<key>keychain-access-groups</key>\n\t<array>\n\t\t<string>$(AppIdentifierPrefix)com.example.app</string>\n\t</array>\n" +
		"\t<key>com.apple.security.application-groups</key>\n\t<array>\n\t\t<string>group.com.example.shared</string>\n\t</array>\n" +
		"\t<key>com.apple.developer.associated-domains</key>\n\t<array>\n\t\t<string>applinks:example.com</string>\n\t\t<string>webcredentials:example.com</string>\n\t</array>\n" +
		"\t<key>com.apple.developer.icloud-container-identifiers</key>\n\t<array>\n\t\t<string>iCloud.com.example.app</string>\n\t</array>\n"
	b.WriteString(real)
	for i := 0; ; i++ {
		var e string
		key := fmt.Sprintf("\t<key>com.example.synthetic.%06d</key>\n", i)
		switch i % 6 {
		case 0:
			e = key + "\t<true/>\n"
		case 1:
			e = key + fmt.Sprintf("\t<string>value-%d-%s</string>\n", i, strings.Repeat("x", i%17))
		case 2:
			e = key + fmt.Sprintf("\t<integer>%d</integer>\n", i*7)
		case 3:
			e = key + fmt.Sprintf("\t<array>\n\t\t<string>group.com.example.g%d</string>\n\t\t<string>group.com.example.h%d</string>\n\t\t<string>group.com.example.k%d</string>\n\t</array>\n", i, i, i)
		case 4:
			e = key + "\t<false/>\n"
		default:
			e = key + fmt.Sprintf("\t<dict>\n\t\t<key>enabled</key>\n\t\t<true/>\n\t\t<key>name</key>\n\t\t<string>nested-%d</string>\n\t</dict>\n", i)
		}
		if b.Len()+len(e)+len(footer) > size {
			break
		}
		b.WriteString(e)
	}
	b.WriteString(footer)
	return b.Bytes()
}
