package cli

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"

	"github.com/entitlint/entitlint/plistxml"
	"github.com/entitlint/entitlint/rules"
	"github.com/entitlint/entitlint/version"
)

// SARIF 2.1.0, the subset code-scanning services read. Columns are Unicode
// code points (declared with columnKind), like the rest of the CLI.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	HelpURI              string            `json:"helpUri"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifRuleDefaults `json:"defaultConfiguration"`
}

type sarifRuleDefaults struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

func formatSARIF(w io.Writer, results []*fileResult, _ style) error {
	all := rules.All()
	index := map[string]int{}
	driver := sarifDriver{Name: "entitlint", Version: version.Version,
		InformationURI: "https://github.com/entitlint/entitlint", Rules: []sarifRule{}}
	for i, r := range all {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: ruleName(r.ID),
			ShortDescription:     sarifText{r.Title},
			FullDescription:      sarifText{r.Why},
			HelpURI:              r.DocsURL(),
			Help:                 sarifText{r.Why},
			DefaultConfiguration: sarifRuleDefaults{sarifLevel(r.Default)},
		})
	}
	run := sarifRun{Tool: sarifTool{driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	for _, fr := range results {
		if fr.Err != nil {
			continue
		}
		uri := filepath.ToSlash(fr.Path)
		region := func(s plistxml.Span) sarifRegion {
			rg := fr.rangeOf(s)
			return sarifRegion{rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column}
		}
		for _, f := range fr.Result.Findings {
			res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
				Message:   sarifText{f.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{sarifArtifact{uri}, region(f.Span)}}}}
			for i, rel := range f.Related {
				id := i + 1
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id,
					PhysicalLocation: sarifPhysical{sarifArtifact{uri}, region(rel.Span)}, Message: &sarifText{rel.Message}})
			}
			for _, fx := range f.Fixes {
				change := sarifArtifactChange{ArtifactLocation: sarifArtifact{uri}}
				for _, e := range fx.Edits {
					change.Replacements = append(change.Replacements, sarifReplacement{region(e.Span), sarifText{e.NewText}})
				}
				res.Fixes = append(res.Fixes, sarifFix{sarifText{fx.Title}, []sarifArtifactChange{change}})
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// ruleName turns "hallucinated-key" into "HallucinatedKey" (SARIF's
// reportingDescriptor.name is an identifier-like name).
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
