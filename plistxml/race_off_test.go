//go:build !race

package plistxml

const raceSlowdown = 1
