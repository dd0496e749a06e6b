package config_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/config"
)

// problemCodes reads the package's sources and returns every problem code they can produce,
// with the number of parameters each one carries. Reading the source rather than a hand-kept
// list means a new check cannot forget to register its code.
func problemCodes(t *testing.T) map[string]int {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	codes := map[string]int{}
	record := func(pos token.Position, code string, n int) {
		if old, ok := codes[code]; ok && old != n {
			t.Errorf("%s: code %q with %d parameters here and %d elsewhere: one code, one message", pos, code, n, old)
		}
		codes[code] = n
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "add" && sel.Sel.Name != "addAt") {
					return true
				}
				at := 1 // d.add(path, code, format, args...)
				if sel.Sel.Name == "addAt" {
					at = 2 // d.addAt(node, path, code, format, args...)
				}
				pos := fset.Position(n.Pos())
				code, okCode := stringLit(n.Args[at])
				format, okFormat := stringLit(n.Args[at+1])
				if !okCode || !okFormat {
					t.Errorf("%s: the code and the format must be string literals, so this test can list them", pos)
					return true
				}
				record(pos, code, len(verbs.FindAllString(strings.ReplaceAll(format, "%%", ""), -1)))
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "Problem" {
					return true
				}
				code, params := "", 0
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch kv.Key.(*ast.Ident).Name {
					case "Code":
						code, _ = stringLit(kv.Value)
					case "Params":
						if lit, ok := kv.Value.(*ast.CompositeLit); ok {
							params = len(lit.Elts)
						}
					}
				}
				if code != "" {
					record(fset.Position(n.Pos()), code, params)
				}
			}
			return true
		})
	}
	if len(codes) < 100 {
		t.Fatalf("found only %d problem codes in the sources: the scan no longer matches the code", len(codes))
	}
	return codes
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestEveryProblemCodeIsTranslated keeps the web UI's translations of configuration problems
// in step with the checks: every code has a French and an English text, which places only the
// parameters the code carries, and no translation is left for a code that is gone.
func TestEveryProblemCodeIsTranslated(t *testing.T) {
	t.Parallel()
	codes := problemCodes(t)
	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			path := "../../ui/src/app/core/i18n/config-problems." + lang + ".json"
			var texts map[string]string
			if err := json.Unmarshal([]byte(readFile(t, path)), &texts); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for code, n := range codes {
				text, ok := texts[code]
				if !ok || strings.TrimSpace(text) == "" {
					t.Errorf("%s: no translation for problem code %q", path, code)
					continue
				}
				for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
					if i, err := strconv.Atoi(m[1]); err != nil || i >= n {
						t.Errorf("%s: %q uses {%s}, but the code has %d parameter(s), {0} to {%d}", path, code, m[1], n, n-1)
					}
				}
			}
			var stale []string
			for code := range texts {
				if _, ok := codes[code]; !ok {
					stale = append(stale, code)
				}
			}
			slices.Sort(stale)
			if len(stale) > 0 {
				t.Errorf("%s: translations for codes the configuration no longer produces: %v", path, stale)
			}
		})
	}
}

// TestProblemsCarryTheirCode checks, on the files full of mistakes, that every problem has a
// code the sources declare and as many parameters as its message has values.
func TestProblemsCarryTheirCode(t *testing.T) {
	t.Parallel()
	codes := problemCodes(t)
	paths, _ := filepath.Glob("testdata/invalid/*.yaml")
	inputs := map[string]string{"empty": "", "syntax": "dams: [[[[", "two documents": "a: 1\n---\nb: 2\n"}
	for _, p := range paths {
		inputs[filepath.Base(p)] = readFile(t, p)
	}
	seen := 0
	for name, data := range inputs {
		_, err := config.Parse(name, []byte(data))
		var ve *config.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: Parse gave %v, want a *ValidationError", name, err)
		}
		for _, p := range ve.Problems {
			seen++
			n, ok := codes[string(p.Code)]
			if !ok {
				t.Errorf("%s: problem %q has code %q, which the sources do not declare", name, p.Message, p.Code)
				continue
			}
			if len(p.Params) != n {
				t.Errorf("%s: problem %q (%s) has parameters %q, want %d", name, p.Message, p.Code, p.Params, n)
			}
		}
	}
	if seen < 20 {
		t.Errorf("only %d problems in the invalid files: the test no longer covers much", seen)
	}
}
