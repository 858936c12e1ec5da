// Package xcodeproj reads what an Xcode project says about signing: for
// each native target and build configuration, the entitlements file
// (CODE_SIGN_ENTITLEMENTS), the platforms and deployment targets it is built
// for, the Team ID, the bundle identifier and the Info.plist.
//
// It reads project.pbxproj (an OpenStep property list, decoded with
// howett.net/plist) and the .xcconfig files its build configurations are
// based on. Settings resolve the way Xcode resolves them: the project's
// .xcconfig, then the project's build settings, then the target's .xcconfig,
// then the target's build settings; conditional settings
// (NAME[sdk=macosx*]) apply to the matching SDK and configuration;
// $(inherited), $(SRCROOT), $(PROJECT_DIR), $(TARGET_NAME) and references
// to other settings are expanded.
//
// Workspaces (.xcworkspace), schemes and Swift packages are not read.
package xcodeproj

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"howett.net/plist"

	"github.com/entitlint/entitlint/plistxml"
)

// Project is a parsed Xcode project.
type Project struct {
	// Path is the .xcodeproj directory; Dir is the directory SRCROOT and
	// PROJECT_DIR point at (the one holding the .xcodeproj, unless the
	// project sets projectDirPath). Both are absolute.
	Path string
	Dir  string
	// Name is the project's name without ".xcodeproj".
	Name string
	// Targets are the native targets, in the project's order.
	Targets []*Target
	// Warnings are things that could not be read or resolved (a missing
	// .xcconfig file, an unresolved variable in a path). The rest of the
	// project is still usable.
	Warnings []string
}

// ProductKind simplifies Xcode's product types.
type ProductKind string

// Product kinds.
const (
	KindApp             ProductKind = "app"
	KindAppClip         ProductKind = "app-clip"
	KindAppExtension    ProductKind = "app-extension"
	KindSystemExtension ProductKind = "system-extension"
	KindDriverExtension ProductKind = "driver-extension"
	KindWatchApp        ProductKind = "watch-app"
	KindWatchExtension  ProductKind = "watch-extension"
	KindWatchContainer  ProductKind = "watch-app-container" // the iOS stub that carries a watch app
	KindXPCService      ProductKind = "xpc-service"
	KindTool            ProductKind = "tool"
	KindFramework       ProductKind = "framework"
	KindLibrary         ProductKind = "library"
	KindBundle          ProductKind = "bundle"
	KindTests           ProductKind = "tests"
	KindKernelExtension ProductKind = "kernel-extension"
	KindOther           ProductKind = "other"
)

var productKinds = map[string]ProductKind{
	"com.apple.product-type.application":                           KindApp,
	"com.apple.product-type.application.messages":                  KindApp,
	"com.apple.product-type.application.on-demand-install-capable": KindAppClip,
	"com.apple.product-type.app-extension":                         KindAppExtension,
	"com.apple.product-type.app-extension.messages":                KindAppExtension,
	"com.apple.product-type.app-extension.messages-sticker-pack":   KindAppExtension,
	"com.apple.product-type.app-extension.intents-service":         KindAppExtension,
	"com.apple.product-type.extensionkit-extension":                KindAppExtension,
	"com.apple.product-type.tv-app-extension":                      KindAppExtension,
	"com.apple.product-type.system-extension":                      KindSystemExtension,
	"com.apple.product-type.driver-extension":                      KindDriverExtension,
	"com.apple.product-type.application.watchapp":                  KindWatchApp,
	"com.apple.product-type.application.watchapp2":                 KindWatchApp,
	"com.apple.product-type.watchkit-extension":                    KindWatchExtension,
	"com.apple.product-type.watchkit2-extension":                   KindWatchExtension,
	"com.apple.product-type.application.watchapp2-container":       KindWatchContainer,
	"com.apple.product-type.xpc-service":                           KindXPCService,
	"com.apple.product-type.tool":                                  KindTool,
	"com.apple.product-type.framework":                             KindFramework,
	"com.apple.product-type.framework.static":                      KindFramework,
	"com.apple.product-type.library.static":                        KindLibrary,
	"com.apple.product-type.library.dynamic":                       KindLibrary,
	"com.apple.product-type.bundle":                                KindBundle,
	"com.apple.product-type.bundle.unit-test":                      KindTests,
	"com.apple.product-type.bundle.ui-testing":                     KindTests,
	"com.apple.product-type.kernel-extension":                      KindKernelExtension,
	"com.apple.product-type.instruments-package":                   KindOther,
	"com.apple.product-type.xcode-extension":                       KindAppExtension,
}

// KindOf maps an Xcode product type to its kind.
func KindOf(productType string) ProductKind {
	if k, ok := productKinds[productType]; ok {
		return k
	}
	return KindOther
}

// Target is one native target.
type Target struct {
	Name        string
	ProductType string // e.g. "com.apple.product-type.app-extension"
	Kind        ProductKind
	// Configurations in the order of the target's configuration list
	// (usually Debug, Release).
	Configurations []*Configuration
}

// Configuration is a target's settings in one build configuration, split by
// the platforms the target builds for.
type Configuration struct {
	Name string
	// Variants holds one entry per platform: an iOS target with Mac
	// Catalyst has an "ios" and a "catalyst" variant, a multiplatform target
	// one per SDK it supports. Settings are evaluated for each (conditions
	// like [sdk=macosx*] differ).
	Variants []*Variant
}

// Variant is one platform of one build configuration of a target.
type Variant struct {
	// SDK is the SDK the variant builds with: iphoneos, macosx (native
	// macOS and Mac Catalyst), appletvos, watchos, xros, driverkit; "" when
	// the project does not say.
	SDK string
	// Platform is entitlint's platform id: ios, ipados, catalyst, macos,
	// tvos, watchos, visionos, driverkit; "" when unknown.
	Platform string
	// MinVersion is the deployment target for Platform ("" if unset). Mac
	// Catalyst uses IPHONEOS_DEPLOYMENT_TARGET: Apple numbers Catalyst
	// availability like iOS.
	MinVersion string
	// Entitlements is CODE_SIGN_ENTITLEMENTS resolved to an absolute path,
	// "" when the target signs without an entitlements file.
	// EntitlementsSetting is the setting as written.
	Entitlements        string
	EntitlementsSetting string
	// InfoPlist is INFOPLIST_FILE resolved to an absolute path ("" if none).
	InfoPlist string
	// GenerateInfoPlist is GENERATE_INFOPLIST_FILE = YES; InfoPlistKeys are
	// the INFOPLIST_KEY_* settings (prefix removed) Xcode writes into the
	// generated Info.plist.
	GenerateInfoPlist bool
	InfoPlistKeys     map[string]string
	BundleID          string // PRODUCT_BUNDLE_IDENTIFIER
	TeamID            string // DEVELOPMENT_TEAM
	// DesignedForIPad is SUPPORTS_MAC_DESIGNED_FOR_IPHONE_IPAD on an iOS
	// variant: the iOS app also runs, unchanged and with its iOS
	// entitlements, on Apple silicon Macs. It adds no platform.
	DesignedForIPad bool
	// Unresolved lists variables left unexpanded in the paths.
	Unresolved []string
}

// Open reads the project at path: a .xcodeproj directory or its
// project.pbxproj.
func Open(path string) (*Project, error) {
	file := path
	if filepath.Base(path) != "project.pbxproj" {
		file = filepath.Join(path, "project.pbxproj")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, cleanPathErr(err))
	}
	abs, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	return Parse(data, abs)
}

// Parse reads the contents of a project.pbxproj; projectPath is its
// .xcodeproj directory (relative paths in the project resolve against the
// directory holding it).
func Parse(data []byte, projectPath string) (p *Project, err error) {
	if err := plistxml.CheckBinary(data); err != nil {
		return nil, fmt.Errorf("project.pbxproj: %w", err)
	}
	var root any
	func() {
		// howett.net/plist recovers its parser's panics but re-panics
		// runtime errors; a hostile project must not take the CLI down.
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("project.pbxproj: unreadable property list (%v)", v)
			}
		}()
		_, err = plist.Unmarshal(data, &root)
	}()
	if err != nil {
		return nil, fmt.Errorf("project.pbxproj: %w", err)
	}
	doc, ok := root.(map[string]any)
	if !ok {
		return nil, errors.New("project.pbxproj: not a project (no top-level dictionary)")
	}
	objs, _ := doc["objects"].(map[string]any)
	rootID, _ := doc["rootObject"].(string)
	proj := obj(objs, rootID)
	if proj == nil || str(proj, "isa") != "PBXProject" {
		return nil, errors.New("project.pbxproj: no PBXProject root object")
	}
	p = &Project{Path: projectPath, Name: strings.TrimSuffix(filepath.Base(projectPath), ".xcodeproj")}
	p.Dir = filepath.Dir(projectPath)
	if d := str(proj, "projectDirPath"); d != "" {
		if filepath.IsAbs(d) {
			p.Dir = d
		} else {
			p.Dir = filepath.Join(p.Dir, d)
		}
	}
	r := &reader{objs: objs, proj: p, parents: parentsOf(objs)}
	projConfigs := r.configList(str(proj, "buildConfigurationList"))
	for _, id := range strs(proj, "targets") {
		t := obj(objs, id)
		if t == nil || str(t, "isa") != "PBXNativeTarget" {
			continue // aggregate and legacy (external build) targets sign nothing
		}
		target := &Target{Name: str(t, "name"), ProductType: str(t, "productType")}
		target.Kind = KindOf(target.ProductType)
		for _, tc := range r.configList(str(t, "buildConfigurationList")) {
			var st stack
			if pc, ok := findConfig(projConfigs, tc.name); ok {
				st = append(st, pc.layers...)
			}
			st = append(st, tc.layers...)
			target.Configurations = append(target.Configurations, r.configuration(target, tc.name, st))
		}
		p.Targets = append(p.Targets, target)
	}
	return p, nil
}

// Target returns the target named name.
func (p *Project) Target(name string) (*Target, bool) {
	for _, t := range p.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Configuration returns the target's configuration named name.
func (t *Target) Configuration(name string) (*Configuration, bool) {
	for _, c := range t.Configurations {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

type reader struct {
	objs    map[string]any
	proj    *Project
	parents map[string]string // child object ID → group ID
}

type rawConfig struct {
	name   string
	layers []layer // the base .xcconfig (if any), then the buildSettings
}

func findConfig(list []rawConfig, name string) (rawConfig, bool) {
	for _, c := range list {
		if c.name == name {
			return c, true
		}
	}
	return rawConfig{}, false
}

// configList reads an XCConfigurationList's build configurations.
func (r *reader) configList(id string) []rawConfig {
	list := obj(r.objs, id)
	if list == nil {
		return nil
	}
	var out []rawConfig
	for _, cid := range strs(list, "buildConfigurations") {
		c := obj(r.objs, cid)
		if c == nil {
			continue
		}
		rc := rawConfig{name: str(c, "name")}
		if ref := str(c, "baseConfigurationReference"); ref != "" {
			if file := r.filePath(ref); file != "" {
				l, warns := readXCConfig(file)
				r.proj.Warnings = append(r.proj.Warnings, warns...)
				rc.layers = append(rc.layers, l)
			}
		}
		rc.layers = append(rc.layers, settingsLayer(c["buildSettings"]))
		out = append(out, rc)
	}
	return out
}

// settingsLayer converts a buildSettings dictionary. Array values are
// joined with spaces, as Xcode does when it expands them.
func settingsLayer(v any) layer {
	m, _ := v.(map[string]any)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	var out layer
	for _, k := range names {
		name, conds, ok := parseAssignmentName(k)
		if !ok {
			continue
		}
		var value string
		switch x := m[k].(type) {
		case string:
			value = x
		case []any:
			parts := make([]string, 0, len(x))
			for _, it := range x {
				if s, ok := it.(string); ok {
					parts = append(parts, quoteIfSpaced(s))
				}
			}
			value = strings.Join(parts, " ")
		default:
			continue
		}
		out = append(out, assignment{name: name, conds: conds, value: value})
	}
	return out
}

func quoteIfSpaced(s string) string {
	if strings.ContainsAny(s, " \t") && !strings.HasPrefix(s, `"`) {
		return `"` + s + `"`
	}
	return s
}

// parentsOf maps every group member to its group, for file paths.
func parentsOf(objs map[string]any) map[string]string {
	out := map[string]string{}
	for id, v := range objs {
		o, _ := v.(map[string]any)
		switch str(o, "isa") {
		case "PBXGroup", "PBXVariantGroup", "XCVersionGroup", "PBXFileSystemSynchronizedRootGroup":
			for _, c := range strs(o, "children") {
				out[c] = id
			}
		}
	}
	return out
}

// filePath resolves a PBXFileReference (or group) to an absolute path, or
// "" when it lives outside the project (SDK, build products…).
func (r *reader) filePath(id string) string {
	return r.filePathDepth(id, 0)
}

func (r *reader) filePathDepth(id string, depth int) string {
	o := obj(r.objs, id)
	if o == nil || depth > 64 {
		return ""
	}
	p := str(o, "path")
	switch tree := str(o, "sourceTree"); tree {
	case "<absolute>":
		return filepath.Clean(p)
	case "SOURCE_ROOT", "SRCROOT", "PROJECT_DIR":
		return filepath.Join(r.proj.Dir, p)
	case "<group>", "":
		base := r.proj.Dir
		if parent, ok := r.parents[id]; ok {
			base = r.filePathDepth(parent, depth+1)
			if base == "" {
				return ""
			}
		}
		return filepath.Join(base, p)
	default:
		return "" // SDKROOT, BUILT_PRODUCTS_DIR, DEVELOPER_DIR…
	}
}

// sdkPlatforms maps SDK names to entitlint platforms and the setting that
// holds their deployment target.
var sdkPlatforms = map[string]struct{ platform, minSetting string }{
	"iphoneos":  {"ios", "IPHONEOS_DEPLOYMENT_TARGET"},
	"macosx":    {"macos", "MACOSX_DEPLOYMENT_TARGET"},
	"appletvos": {"tvos", "TVOS_DEPLOYMENT_TARGET"},
	"watchos":   {"watchos", "WATCHOS_DEPLOYMENT_TARGET"},
	"xros":      {"visionos", "XROS_DEPLOYMENT_TARGET"},
	"driverkit": {"driverkit", "DRIVERKIT_DEPLOYMENT_TARGET"},
}

// sdkName reduces an SDKROOT or SUPPORTED_PLATFORMS entry to a device SDK
// name ("iphoneos17.2" → "iphoneos"; simulators → "").
func sdkName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "/") { // a path to an SDK
		s = strings.TrimSuffix(filepath.Base(s), ".sdk")
	}
	s = strings.TrimRight(s, "0123456789.")
	if _, ok := sdkPlatforms[s]; ok {
		return s
	}
	return ""
}

// configuration evaluates one build configuration of a target.
func (r *reader) configuration(t *Target, name string, st stack) *Configuration {
	c := &Configuration{Name: name}
	base := env{config: name}
	res := r.resolver(t, st, base)
	var sdks []string
	seen := map[string]bool{}
	addSDK := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			sdks = append(sdks, s)
		}
	}
	if t.Kind == KindDriverExtension {
		addSDK("driverkit")
	}
	for _, s := range strings.Fields(res.value("SUPPORTED_PLATFORMS")) {
		addSDK(sdkName(s))
	}
	if len(sdks) == 0 {
		addSDK(sdkName(res.value("SDKROOT")))
	}
	type vspec struct{ sdk, platform string }
	var specs []vspec
	for _, s := range sdks {
		specs = append(specs, vspec{s, sdkPlatforms[s].platform})
		if s != "iphoneos" {
			continue
		}
		// Mac Catalyst builds the iOS target with the macOS SDK.
		cat := (&resolver{st: st, env: env{sdk: "iphoneos", config: name}, builtins: res.builtins}).value("SUPPORTS_MACCATALYST")
		if isYes(cat) {
			specs = append(specs, vspec{"macosx", "catalyst"})
		}
	}
	if len(specs) == 0 {
		r.proj.Warnings = append(r.proj.Warnings, fmt.Sprintf("target %q (%s): no SDKROOT or SUPPORTED_PLATFORMS: platform unknown", t.Name, name))
		specs = append(specs, vspec{"", ""})
	}
	for _, sp := range specs {
		c.Variants = append(c.Variants, r.variant(t, name, st, sp.sdk, sp.platform))
	}
	return c
}

func (r *reader) resolver(t *Target, st stack, e env) *resolver {
	return &resolver{st: st, env: e, builtins: map[string]string{
		"SRCROOT":           r.proj.Dir,
		"SOURCE_ROOT":       r.proj.Dir,
		"PROJECT_DIR":       r.proj.Dir,
		"PROJECT_NAME":      r.proj.Name,
		"PROJECT_FILE_PATH": r.proj.Path,
		"TARGET_NAME":       t.Name,
		"CONFIGURATION":     e.config,
		"PLATFORM_NAME":     e.sdk,
	}}
}

func (r *reader) variant(t *Target, config string, st stack, sdk, platform string) *Variant {
	res := r.resolver(t, st, env{sdk: sdk, config: config})
	v := &Variant{SDK: sdk, Platform: platform}
	if platform == "ios" && strings.TrimSpace(res.value("TARGETED_DEVICE_FAMILY")) == "2" {
		v.Platform = "ipados"
	}
	switch platform {
	case "catalyst":
		v.MinVersion = res.value("IPHONEOS_DEPLOYMENT_TARGET")
	case "":
	default:
		v.MinVersion = res.value(sdkPlatforms[sdk].minSetting)
	}
	if raw, ok := st.raw("CODE_SIGN_ENTITLEMENTS", res.env); ok && raw != "" {
		v.EntitlementsSetting = raw
		v.Entitlements = r.resolvePath(res.expand(raw, 0))
	}
	if raw, ok := st.raw("INFOPLIST_FILE", res.env); ok && raw != "" {
		v.InfoPlist = r.resolvePath(res.expand(raw, 0))
	}
	v.GenerateInfoPlist = isYes(res.value("GENERATE_INFOPLIST_FILE"))
	for _, name := range settingNames(st, "INFOPLIST_KEY_") {
		if val, ok := st.raw(name, res.env); ok {
			if v.InfoPlistKeys == nil {
				v.InfoPlistKeys = map[string]string{}
			}
			v.InfoPlistKeys[strings.TrimPrefix(name, "INFOPLIST_KEY_")] = unquote(res.expand(val, 0))
		}
	}
	v.BundleID = res.value("PRODUCT_BUNDLE_IDENTIFIER")
	v.TeamID = res.value("DEVELOPMENT_TEAM")
	if platform == "ios" || platform == "ipados" {
		v.DesignedForIPad = isYes(res.value("SUPPORTS_MAC_DESIGNED_FOR_IPHONE_IPAD"))
	}
	seen := map[string]bool{}
	for _, p := range []string{v.Entitlements, v.InfoPlist} {
		for _, m := range varRef.FindAllStringSubmatch(p, -1) {
			name := m[1] + m[3]
			if !seen[name] {
				seen[name] = true
				v.Unresolved = append(v.Unresolved, name)
			}
		}
	}
	sort.Strings(v.Unresolved)
	if len(v.Unresolved) > 0 {
		r.proj.Warnings = append(r.proj.Warnings, fmt.Sprintf("target %q (%s): cannot resolve $(%s) in a path (CODE_SIGN_ENTITLEMENTS %q)",
			t.Name, config, strings.Join(v.Unresolved, "), $("), v.EntitlementsSetting))
	}
	return v
}

// resolvePath makes a build-setting path absolute against SRCROOT.
func (r *reader) resolvePath(p string) string {
	p = unquote(p)
	if p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.proj.Dir, p)
	}
	return filepath.Clean(p)
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// settingNames lists the distinct setting names with a prefix, sorted.
func settingNames(st stack, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range st {
		for _, a := range l {
			if strings.HasPrefix(a.name, prefix) && !seen[a.name] {
				seen[a.name] = true
				out = append(out, a.name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isYes(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "YES", "TRUE", "1":
		return true
	}
	return false
}

func obj(objs map[string]any, id string) map[string]any {
	o, _ := objs[id].(map[string]any)
	return o
}

func str(o map[string]any, k string) string {
	s, _ := o[k].(string)
	return s
}

func strs(o map[string]any, k string) []string {
	list, _ := o[k].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
