// Package testgen generates entitlements files of a given size for
// benchmarks and stress tests. The output looks like what Xcode writes
// (tabs, the Apple DOCTYPE) and mixes real keys, arrays of identifiers and
// a few mistakes, so that every rule has work to do.
package testgen

import (
	"bytes"
	"fmt"
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
