package rules

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

// This file holds what the profile-* rules share. They run only when
// Options.Profile is set (--profile, the profile config field).

// profileNow is the clock of profile-expired (tests replace it).
var profileNow = time.Now

// profileFile names the profile file in the bracket after Xcode's message.
func profileFile(pr *profile.Profile) string {
	if pr.Path == "" {
		return "the profile"
	}
	return filepath.Base(pr.Path)
}

// needsNoProfile reports whether a claimed key is authorised without the
// profile listing it. TN3125 ("Entitlements on macOS"): a macOS app may claim
// com.apple.security.get-task-allow, com.apple.security.application-groups,
// and the App Sandbox and Hardened Runtime entitlements without a profile;
// the catalog marks such keys (and iOS ones like the hardened-process
// family) with restriction "none". App groups on macOS are handled value by
// value (profMacAppGroup).
func needsNoProfile(cat *catalog.Catalog, pr *profile.Profile, key string) bool {
	if k, ok := cat.Lookup(key); ok && k.Restriction == catalog.RestrictionNone {
		return true
	}
	if !pr.IsMac() {
		return false
	}
	switch key {
	case "com.apple.security.get-task-allow", "get-task-allow":
		return true // Xcode adds it to debug builds itself
	}
	if k, ok := cat.Lookup(key); ok && k.MacOSGroup != catalog.GroupNone {
		return true
	}
	return false
}

// profMacAppGroup: on macOS an app group named "<TeamID>.<name>" with
// the profile's team needs no authorisation (TN3125; App Groups Entitlement
// documentation); iOS-style "group." names must be in the profile.
func profMacAppGroup(pr *profile.Profile, group string) bool {
	team := pr.TeamID()
	return pr.IsMac() && team != "" && strings.HasPrefix(group, team+".") && len(group) > len(team)+1
}

// profQuoteList renders up to max values as "a", "b", … (and N more).
func profQuoteList(vals []string, limit int) string {
	var b strings.Builder
	for i, v := range vals {
		if i == limit {
			fmt.Fprintf(&b, " and %d more", len(vals)-limit)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", v)
	}
	return b.String()
}

// profValueSpan is where a finding about a value goes: its text, or the whole
// element when it is empty.
func profValueSpan(n *plistxml.Node) plistxml.Span {
	if n.Content().Len() > 0 {
		return n.Content()
	}
	return n.Span()
}
