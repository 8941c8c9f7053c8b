// Package browser opens local pages in headless Chromium for tests: a
// screenshot and the page's console messages (errors included).
package browser
