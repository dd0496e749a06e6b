package vigie_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/vigie/vigie"

// ports are the adapter packages that define an interface others may depend on.
var ports = map[string]bool{
	module + "/adapters/eventstore": true,
	module + "/adapters/readstore":  true,
	module + "/adapters/notify":     true,
	module + "/adapters/bus":        true,
}

// toolkit are adapter packages with no engine behind them, helpers every adapter may use: the
// file lock of the data folder's shared files.
var toolkit = map[string]bool{
	module + "/adapters/filelock": true,
}

// TestImportRules keeps the architecture from rotting silently: the domain is pure, commands and
// projections see only ports, adapters never import each other, and only cmd/ knows every adapter.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		for _, imp := range imports {
			if !strings.HasPrefix(imp, module+"/") {
				if strings.HasPrefix(pkg, module+"/domain/") && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s imports %s: the domain uses the standard library only", pkg, imp)
				}
				continue
			}
			if why := violation(pkg, imp); why != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
		}
	}
}

func violation(pkg, imp string) string {
	area := func(p string) string {
		rest := strings.TrimPrefix(p, module+"/")
		return strings.SplitN(rest, "/", 2)[0]
	}
	isAdapter := func(p string) bool { return area(p) == "adapters" }
	switch area(pkg) {
	case "domain":
		if area(imp) != "domain" {
			return "the domain imports only the domain"
		}
	case "commands", "projections":
		if isAdapter(imp) && !ports[imp] {
			return "commands and projections depend on ports, never on a concrete adapter"
		}
		if area(pkg) != area(imp) && (area(imp) == "commands" || area(imp) == "projections") {
			return "commands and projections do not import each other"
		}
	case "adapters":
		if area(imp) == "commands" || area(imp) == "projections" || area(imp) == "cmd" {
			if imp == module+"/commands" {
				return "" // adapters that ingest call the command types (commands.IngestReadings)
			}
			return "adapters do not import the application layers"
		}
		if isAdapter(imp) && !ports[imp] && !toolkit[imp] && !sameAdapter(pkg, imp) {
			return "adapters never import each other (only ports)"
		}
	}
	return ""
}

// sameAdapter: a package may import its own parent or children (embedded -> its port package is
// covered by ports; eventstoretest -> the port; mqtt -> mqtt/internal).
func sameAdapter(pkg, imp string) bool {
	return strings.HasPrefix(imp, pkg+"/") || strings.HasPrefix(pkg, imp+"/")
}
