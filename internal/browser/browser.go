package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"time"
)

// consoleLine is how headless Chromium logs a page's console messages and
// uncaught errors with --enable-logging=stderr.
var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[^\]]*\] "(.*)", source: .*$`)

// Find returns the path of Chromium (Debian's chromium, or another build),
// or "" when none is installed.
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Open loads the local file page in headless Chromium at bin, saves a
// screenshot to shot, and returns the console messages it logged. home is
// a scratch folder for Chromium's profile.
func Open(bin, page, shot, home string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
		"--window-size=1100,2000", "--screenshot="+shot, "file://"+page)
	cmd.Env = append(os.Environ(), "HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("chromium: %w\n%s", err, out)
	}
	var msgs []string
	for _, m := range consoleLine.FindAllStringSubmatch(string(out), -1) {
		msgs = append(msgs, m[1])
	}
	return msgs, nil
}
