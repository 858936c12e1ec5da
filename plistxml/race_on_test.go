//go:build race

package plistxml

// raceSlowdown scales time limits: the race detector slows parsing ~10x.
const raceSlowdown = 15
