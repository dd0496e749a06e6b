package catalog_test

import (
	"testing"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/catalog"
)

// The codec refuses duplicates, pointers and missing upcasters: building it is the check.
func TestCatalogBuildsACodec(t *testing.T) {
	t.Parallel()
	if _, err := eventstore.NewCodec(catalog.Events(), catalog.Schemas(), catalog.Upcasters()); err != nil {
		t.Fatal(err)
	}
}
