package plistxml

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestCPUTmp(t *testing.T) {
	for _, n := range []int{2 << 10, 100 << 10, 5 << 20} {
		src := entitlements(n)
		iters := 200 << 20 / len(src)
		runtime.GC()
		c0 := cpuNow()
		for i := 0; i < iters; i++ {
			Parse(src)
		}
		c := cpuNow() - c0
		t.Logf("parse %d: %.1f MB/s (cpu)", n, float64(iters*len(src))/c.Seconds()/1e6)
	}
	src := entitlements(100 << 10)
	c0 := cpuNow()
	for i := 0; i < 2000; i++ {
		s := NewScanner(src)
		for s.Next().Kind != TokEOF {
		}
	}
	t.Logf("scan: %.1f MB/s (cpu)", float64(2000*len(src))/(cpuNow()-c0).Seconds()/1e6)
}
