package ui_test

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/vigie/vigie/ui"
)

func TestFSServesTheBuild(t *testing.T) {
	t.Parallel()
	fsys, err := ui.FS()
	if err != nil {
		t.Fatalf("FS() error = %v", err)
	}
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		t.Fatalf("read index.html: %v", err)
	}
	// Every script and stylesheet index.html names must be in the build.
	refs := regexp.MustCompile(`(?:src|href)="([^"/:]+\.(?:js|css))"`).FindAllSubmatch(index, -1)
	if len(refs) == 0 {
		t.Fatalf("index.html references no script or stylesheet:\n%s", index)
	}
	for _, m := range refs {
		name := string(m[1])
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("index.html references %s, missing from the build: %v", name, err)
		}
	}
}

func TestFSHasNoSourceMaps(t *testing.T) {
	t.Parallel()
	fsys, err := ui.FS()
	if err != nil {
		t.Fatalf("FS() error = %v", err)
	}
	maps, err := fs.Glob(fsys, "*.map")
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) > 0 {
		t.Errorf("the embedded build holds source maps %v; build with the production configuration", maps)
	}
}
