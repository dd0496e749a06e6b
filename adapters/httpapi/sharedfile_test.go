package httpapi_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/adapters/readstore"
)

// Two nodes on one data volume: a link made through one verifies on the other, and once revoked
// through either it is refused by both at their next request.
func TestEmbedLinksAreSharedByNodesOnOneDataFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clock := func() time.Time { return time.Now() }
	a, err := httpapi.OpenEmbedLinks(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	b, err := httpapi.OpenEmbedLinks(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := a.Create("d-1", "portail", "user:chef", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	l, err := b.Verify(token)
	if err != nil {
		t.Fatalf("the other node refuses a link made through the first: %v", err)
	}
	if _, err := b.Revoke(l.ID, "user:admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(token); err == nil {
		t.Fatal("the first node still accepts a link revoked through the other")
	}
	links, err := a.Of("d-1")
	if err != nil || len(links) != 1 || links[0].RevokedBy != "user:admin" {
		t.Fatalf("links of d-1 on the first node: %+v %v", links, err)
	}
}

// Two nodes saving boards at the same time lose none: each change is made under the file's lock
// on the file as it is.
func TestDashboardsSavedThroughTwoNodesAtOnceAreAllKept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), httpapi.DashboardsFile)
	a, err := httpapi.OpenDashboards(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := httpapi.OpenDashboards(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, node := range []*httpapi.FileDashboards{a, b} {
		wg.Go(func() {
			for j := range 20 {
				d := httpapi.Dashboard{ID: string(rune('a'+i)) + "-" + string(rune('a'+j)), Title: "board", Owner: "user:x"}
				if err := node.Put(ctx, d); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for _, node := range []*httpapi.FileDashboards{a, b} {
		all, err := node.List(ctx)
		if err != nil || len(all) != 40 {
			t.Fatalf("a node lists %d boards (%v), want the 40 saved through both", len(all), err)
		}
	}
	if err := b.Delete(ctx, "a-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get(ctx, "a-a"); err == nil || !errors.Is(err, readstore.ErrNotFound) {
		t.Fatalf("a board deleted through the other node: %v, want not found", err)
	}
}

// The first change creates the data folder, as the first user added does.
func TestUsersAddedIntoAFolderNotMadeYet(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	u, err := httpapi.OpenUsers(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Add("chef", httpapi.UserAdmin, "un mot de passe solide"); err != nil {
		t.Fatal(err)
	}
	other, err := httpapi.OpenUsers(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Check("chef", "un mot de passe solide"); err != nil {
		t.Fatalf("another process does not see the user: %v", err)
	}
}
