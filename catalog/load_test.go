package catalog

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadNoExtras(t *testing.T) {
	c, err := Load()
	if err != nil || c != Builtin() {
		t.Fatalf("Load() = %p, %v; want the builtin catalog", c, err)
	}
}

func TestLoadOverridesAndAdds(t *testing.T) {
	c, err := Load("testdata/load/override.json")
	if err != nil {
		t.Fatal(err)
	}
	k, ok := c.Lookup("aps-environment")
	if !ok || k.Summary != "Overridden summary for the test." || k.ChangedIn != "1.0.1" {
		t.Fatalf("override not applied: %+v", k)
	}
	if k.AvailableOn(TVOS) {
		t.Error("an overriding entry replaces the whole entry")
	}
	if _, ok := c.Lookup("com.example.developer.new-thing"); !ok {
		t.Error("added key missing")
	}
	if h, ok := c.Hallucination("com.example.developer.old-thing"); !ok || h.Replacement != "com.example.developer.new-thing" {
		t.Errorf("added hallucination: %+v", h)
	}
	if _, ok := c.InfoPlist("EXAppSetting"); !ok {
		t.Error("added Info.plist key missing")
	}
	if !c.IsPrivate("com.example.internal.anything") {
		t.Error("added private prefix missing")
	}
	// The builtin entries are all still there.
	if len(c.Keys()) != len(Builtin().Keys())+1 {
		t.Errorf("keys: %d, builtin %d", len(c.Keys()), len(Builtin().Keys()))
	}
	if c.Version() != Builtin().Version() {
		t.Errorf("version %s", c.Version())
	}
	// Builtin itself is untouched.
	if b, _ := Builtin().Lookup("aps-environment"); b.Summary == k.Summary {
		t.Error("Load modified the builtin catalog")
	}
	if len(c.KeysFor(MacOS)) != len(Builtin().KeysFor(MacOS))+1 {
		t.Error("KeysFor does not see the added key")
	}
	if got := c.Suggest("com.example.developer.new-thng", 1); len(got) != 1 || got[0].Key != "com.example.developer.new-thing" {
		t.Errorf("Suggest on the merged catalog: %v", got)
	}
}

func TestLoadPrecedence(t *testing.T) {
	c, err := Load("testdata/load/override.json", "testdata/load/second.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Lookup("com.example.developer.new-thing"); ok {
		t.Error("a later hallucination must remove an earlier real key")
	}
	if h, ok := c.Hallucination("com.example.developer.new-thing"); !ok || h.Kind != KindRemove {
		t.Errorf("later hallucination: %+v", h)
	}
	if h, _ := c.Hallucination("com.example.developer.old-thing"); h.Replacement != "aps-environment" {
		t.Errorf("later file must win: %+v", h)
	}
	// In the reverse order override.json comes last, so its real key wins.
	c2, err := Load("testdata/load/second.json", "testdata/load/override.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c2.Lookup("com.example.developer.new-thing"); !ok {
		t.Error("a later real key must remove an earlier hallucination")
	}
	if _, ok := c2.Hallucination("com.example.developer.new-thing"); ok {
		t.Error("hallucination should be gone")
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/load/does-not-exist.json")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
	if !strings.Contains(err.Error(), "does-not-exist.json") {
		t.Errorf("error does not name the file: %v", err)
	}
}

// loadText runs Load with the file named name in a fresh directory, so the
// error message starts with exactly name.
func loadText(t *testing.T, name, text string) error {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	_, err := Load(name)
	return err
}

func TestLoadMalformedPositioned(t *testing.T) {
	data, err := os.ReadFile("testdata/load/bad-type.json")
	if err != nil {
		t.Fatal(err)
	}
	err = loadText(t, "extra.json", string(data))
	const want = `extra.json:12:5: keys[3].type: unknown type "bool"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	var le *LoadError
	if !errors.As(err, &le) || le.File != "extra.json" || le.Line != 12 || le.Col != 5 || le.Path != "keys[3].type" {
		t.Errorf("LoadError fields: %+v", le)
	}
}

const okKey = `{"key": "com.example.k", "title": "K", "type": "boolean", "platforms": {"ios": {"since": "1.0"}}, "restriction": "none", "docURL": "https://developer.apple.com/k", "summary": "K.", "addedIn": "1.0.0", "source": "inferred"}`

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "{\n  \"keys\": [\n    " + okKey + ",\n  ]\n}\n",
			`extra.json:4:3: unexpected character ']', want a value`},
		{"unterminated", `{"keys": [`, `extra.json:1:11: unexpected end of file, want a value`},
		{"not an object", `[1]`, `extra.json:1:1: want object, got array`},
		{"empty file object", `{"version": "1.0.0"}`,
			`extra.json:1:1: a catalog file needs at least one of keys, hallucinations, infoPlistKeys, infoPlistPatterns or private`},
		{"unknown top-level field", `{"keys": [], "extra": 1}`, `extra.json:1:14: extra: unknown field "extra"`},
		{"unknown field in key", "{\"keys\": [\n" + strings.Replace(okKey, `"title"`, `"titel": "x", "title"`, 1) + "\n]}",
			`extra.json:2:26: keys[0].titel: unknown field "titel"`},
		{"missing field", `{"keys": [{"key": "com.example.k"}]}`, `extra.json:1:11: keys[0]: missing field "title"`},
		{"unknown platform", "{\"keys\": [\n" + strings.Replace(okKey, `"ios"`, `"iOS"`, 1) + "\n]}",
			`extra.json:2:73: keys[0].platforms.iOS: unknown platform "iOS"`},
		{"bad version", "{\"keys\": [\n" + strings.Replace(okKey, `"1.0"`, `"10"`, 1) + "\n]}",
			`extra.json:2:81: keys[0].platforms.ios.since: version must be MAJOR.MINOR (or MAJOR.MINOR.PATCH), got "10"`},
		{"wrong value type", "{\"keys\": [\n" + strings.Replace(okKey, `"summary": "K."`, `"summary": 3`, 1) + "\n]}",
			`extra.json:2:165: keys[0].summary: want string, got integer`},
		{"bad restriction", "{\"keys\": [\n" + strings.Replace(okKey, `"restriction": "none"`, `"restriction": "restricted"`, 1) + "\n]}",
			`extra.json:2:99: keys[0].restriction: unknown restriction "restricted"`},
		{"bad docURL", "{\"keys\": [\n" + strings.Replace(okKey, `https://developer.apple.com/k`, `http://example.com`, 1) + "\n]}",
			`extra.json:2:122: keys[0].docURL: docURL must be an https:// URL, got "http://example.com"`},
		{"duplicate key", "{\"keys\": [\n" + okKey + ",\n" + okKey + "\n]}",
			`extra.json:3:2: keys[1].key: duplicate real key "com.example.k"`},
		{"duplicate json field", `{"keys": [], "keys": []}`, `extra.json:1:14: duplicate field "keys"`},
		{"replace without replacement", `{"hallucinations": [{"key": "x.y", "kind": "replace", "reason": "r", "source": "s", "addedIn": "1.0.0"}]}`,
			`extra.json:1:21: hallucinations[0]: missing field "replacement"`},
		{"unknown replacement", "{\"hallucinations\": [\n{\"key\": \"x.y\", \"kind\": \"replace\", \"replacement\": \"com.example.nope\", \"reason\": \"r\", \"source\": \"s\", \"addedIn\": \"1.0.0\"}\n]}",
			`extra.json:2:35: hallucinations[0].replacement: unknown key "com.example.nope"`},
		{"unknown alternative", "{\"hallucinations\": [\n{\"key\": \"x.y\", \"kind\": \"remove\", \"alternatives\": [\"aps-environment\", \"nope\"], \"reason\": \"r\", \"source\": \"s\", \"addedIn\": \"1.0.0\"}\n]}",
			`extra.json:2:70: hallucinations[0].alternatives[1]: unknown key "nope"`},
		{"real and hallucination", "{\"keys\": [" + okKey + "],\n\"hallucinations\": [{\"key\": \"com.example.k\", \"kind\": \"remove\", \"reason\": \"r\", \"source\": \"s\", \"addedIn\": \"1.0.0\"}]}",
			`extra.json:2:21: hallucinations[0].key: "com.example.k" is already declared as a real key`},
		{"bad regexp", `{"infoPlistPatterns": [{"pattern": "^NS(", "summary": "s", "addedIn": "1.0.0"}]}`,
			"extra.json:1:25: infoPlistPatterns[0].pattern: invalid regular expression: missing closing ): `^NS(`"},
		{"unanchored pattern", `{"infoPlistPatterns": [{"pattern": "NS", "summary": "s", "addedIn": "1.0.0"}]}`,
			`extra.json:1:25: infoPlistPatterns[0].pattern: pattern must be anchored with ^, got "NS"`},
		{"bool values", "{\"keys\": [\n" + strings.Replace(okKey, `"platforms"`, `"values": [{"value": "x", "summary": "s"}], "platforms"`, 1) + "\n]}",
			`extra.json:2:59: keys[0].values: a boolean key cannot enumerate values`},
		{"bad semver", `{"version": "1.0", "private": {"keys": []}}`, `extra.json:1:2: version: must be a semantic version such as 1.0.0, got "1.0"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := loadText(t, "extra.json", tc.text)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	c, err := Load("testdata/load/override.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	sv, _ := embeddedSchema()
	f, _, err := parseFile("dump.json", buf.Bytes(), sv)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := newCatalog(f)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c2.MarshalJSON()
	if !bytes.Equal(again, buf.Bytes()) {
		t.Error("dump is not stable")
	}
	if _, ok := c2.Lookup("com.example.developer.new-thing"); !ok {
		t.Error("dump lost the added key")
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncdé\nf")
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {7, 2, 4}, {8, 3, 1}, {99, 3, 2},
	} {
		if l, c := lineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

func TestJSONTree(t *testing.T) {
	good := []string{`{}`, `[]`, `0`, `-1.5e+3`, `"a\u00e9\n"`, `true`, `null`, ` {"a": [1, {"b": false}]} `}
	for _, s := range good {
		if _, err := parseJSONTree([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := []string{``, `{`, `[1,]`, `01`, `1.`, `"\x"`, "\"a\x01\"", `{"a" 1}`, `{"a":1,"a":2}`, `nul`, `{} x`, "\xEF\xBB\xBF{}",
		strings.Repeat("[", 100) + strings.Repeat("]", 100)}
	for _, s := range bad {
		if _, err := parseJSONTree([]byte(s)); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	n, _ := parseJSONTree([]byte(`{"k": "v\"w"}`))
	m, ok := n.member("k")
	if !ok || m.val.str != `v"w` || m.nameOff != 1 || m.val.off != 6 {
		t.Errorf("member: %+v %+v", m, m.val)
	}
}

func TestSchemaRejectsUnknownKeywords(t *testing.T) {
	if _, err := compileSchema([]byte(`{"type": "object", "format": "date"}`)); err == nil {
		t.Error("format is not supported and must be rejected")
	}
	if _, err := compileSchema([]byte(`{"$ref": "#/$defs/nope"}`)); err == nil {
		t.Error("unresolved $ref must be rejected")
	}
	if _, err := compileSchema(schemaJSON); err != nil {
		t.Error(err)
	}
}
