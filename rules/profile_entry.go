package rules

import (
	"strings"

	"github.com/entitlint/entitlint/catalog"
	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/profile"
)

// ProfileStatus is what a provisioning profile says about one claimed
// entitlement.
type ProfileStatus int

// Profile statuses. The zero value means there is no profile.
const (
	ProfileNone ProfileStatus = iota
	// ProfileNothingClaimed: <false/> or an empty value: nothing to authorise.
	ProfileNothingClaimed
	// ProfileAuthorised: the profile has the key and authorises every value.
	ProfileAuthorised
	// ProfileNotNeeded: the key needs no profile (catalog restriction none;
	// on macOS the App Sandbox and Hardened Runtime keys, get-task-allow,
	// Team ID-prefixed app groups).
	ProfileNotNeeded
	// ProfileUnchecked: the profile has the key; its value is not compared
	// (a dictionary or number, a type the profile does not share, or a
	// build variable only Xcode can resolve).
	ProfileUnchecked
	// ProfileMissing: what profile-missing-entitlement reports.
	ProfileMissing
	// ProfileValueNotCovered: what profile-value-mismatch reports.
	ProfileValueNotCovered
	// ProfileWrongPlatform: the profile is for none of the file's platforms
	// (profile-platform); keys are not compared.
	ProfileWrongPlatform
)

// ProfileVerdict is the answer of ProfileEntry.
type ProfileVerdict struct {
	Status ProfileStatus
	// Uncovered are the claimed values the profile does not authorise (as
	// written, "true" for a boolean), for ProfileValueNotCovered.
	Uncovered []string
}

// ProfileEntry says whether opts.Profile authorises a top-level entry of
// doc, with the code the profile-* rules run: an editor's hover and the
// diagnostics never disagree. Rule severities and suppressions do not
// change the answer.
func ProfileEntry(doc *plistxml.Document, opts Options, e *plistxml.Entry) ProfileVerdict {
	pr := opts.Profile
	if pr == nil || doc == nil || e == nil {
		return ProfileVerdict{}
	}
	if opts.Catalog == nil {
		opts.Catalog = catalog.Builtin()
	}
	c := newContext(doc, &opts)
	switch {
	case profWrongPlatform(c, pr):
		return ProfileVerdict{Status: ProfileWrongPlatform}
	case e.Value == nil || e.Key == "" || !claims(e):
		return ProfileVerdict{Status: ProfileNothingClaimed}
	case profMissing(c.cat, pr, e):
		return ProfileVerdict{Status: ProfileMissing}
	}
	allowed, ok := profAllowed(pr, e.Key)
	if !ok {
		return ProfileVerdict{Status: ProfileNotNeeded}
	}
	switch e.Value.Kind {
	case plistxml.True:
		if !profTrueCovered(allowed) {
			return ProfileVerdict{Status: ProfileValueNotCovered, Uncovered: []string{"true"}}
		}
		return ProfileVerdict{Status: ProfileAuthorised}
	case plistxml.String, plistxml.Array:
		patterns, isStrings := profile.Strings(allowed)
		if !isStrings {
			return ProfileVerdict{Status: ProfileUnchecked}
		}
		v := ProfileVerdict{Status: ProfileAuthorised}
		for _, n := range stringValues(e.Value) {
			_, covered, checked := profValueCovered(pr, e.Key, patterns, n.Text)
			switch {
			case !covered:
				v.Status = ProfileValueNotCovered
				v.Uncovered = append(v.Uncovered, strings.TrimSpace(n.Text))
			case !checked && v.Status == ProfileAuthorised:
				v.Status = ProfileUnchecked
			}
		}
		return v
	}
	return ProfileVerdict{Status: ProfileUnchecked}
}
