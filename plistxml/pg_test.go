package plistxml

import (
	"os"
	"testing"
)

func TestPlayground(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("PG"))
	t.Log("\n" + dump(Parse(src)))
}
