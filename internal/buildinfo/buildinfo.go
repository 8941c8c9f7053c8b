package buildinfo

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with
// -ldflags "-X github.com/screenlab/screenlab/internal/buildinfo.version=…";
// otherwise it comes from the module's build information.
var version = ""

// Version returns screenlab's version: the one set at build time, else the
// module version, else "devel+" and the first 12 digits of the VCS
// revision, else "devel".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		v := info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return strings.TrimSuffix(v, "(devel)") + "devel+" + s.Value[:12]
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
	}
	return "devel"
}
