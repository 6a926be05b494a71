package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"text/template"
	"time"
)

// helmishFuncs are the few Sprig/Helm-like functions the benchmark chart
// uses; the Rust benchmark defines the same ones with the same signatures.
func helmishFuncs(t *template.Template) template.FuncMap {
	return template.FuncMap{
		"include": includeOf(t),
		"nindent": func(n int, s string) string {
			pad := strings.Repeat(" ", n)
			return "\n" + pad + strings.ReplaceAll(s, "\n", "\n"+pad)
		},
		"quote": func(args ...any) string {
			out := make([]string, 0, len(args))
			for _, a := range args {
				if a != nil {
					s, ok := a.(string)
					if !ok {
						s = fmt.Sprintf("%v", a)
					}
					out = append(out, fmt.Sprintf("%q", s))
				}
			}
			return strings.Join(out, " ")
		},
		"default": func(d any, given ...any) any {
			if len(given) == 0 || given[0] == nil {
				return d
			}
			v := reflect.ValueOf(given[0])
			if v.IsZero() || ((v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.Len() == 0) {
				return d
			}
			return given[0]
		},
	}
}

// loadChart parses *.tpl then *.yaml of dir into one set, as Helm does,
// and decodes values.json (numbers become float64, as in Helm values).
func loadChart(dir string) (*template.Template, []string, any, error) {
	t := template.New("gotpl").Option("missingkey=zero")
	t.Funcs(helmishFuncs(t))
	var names []string
	for _, pat := range []string{"*.tpl", "*.yaml"} {
		files, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, nil, err
			}
			name := filepath.Base(f)
			if _, err := t.New(name).Parse(string(b)); err != nil {
				return nil, nil, nil, err
			}
			if pat == "*.yaml" {
				names = append(names, name)
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "values.json"))
	if err != nil {
		return nil, nil, nil, err
	}
	var data any
	if err := json.Unmarshal(b, &data); err != nil {
		return nil, nil, nil, err
	}
	return t, names, data, nil
}

// runRender renders the benchmark chart: writes the golden output, and with
// -n N times parse+execute to compare with the Rust benchmark.
func runRender(args []string) error {
	fs := flag.NewFlagSet("render", flag.ExitOnError)
	dir := fs.String("dir", "", "chart directory (*.tpl, *.yaml, values.json)")
	out := fs.String("out", "", "golden output file")
	n := fs.Int("n", 0, "time this many parse+execute rounds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	render := func() (string, error) {
		t, names, data, err := loadChart(*dir)
		if err != nil {
			return "", err
		}
		var sb strings.Builder
		for _, name := range names {
			if err := t.ExecuteTemplate(&sb, name, data); err != nil {
				return "", err
			}
		}
		return sb.String(), nil
	}
	s, err := render()
	if err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(s), 0o644); err != nil {
			return err
		}
	}
	if *n > 0 {
		_, names, data, err := loadChart(*dir)
		if err != nil {
			return err
		}
		var parse, exec time.Duration
		for i := 0; i < *n; i++ {
			start := time.Now()
			t := template.New("gotpl").Option("missingkey=zero")
			t.Funcs(helmishFuncs(t))
			for _, f := range []string{"helpers.tpl", "statefulset.yaml"} {
				b, _ := os.ReadFile(filepath.Join(*dir, f))
				if _, err := t.New(f).Parse(string(b)); err != nil {
					return err
				}
			}
			mid := time.Now()
			var sb strings.Builder
			for _, name := range names {
				if err := t.ExecuteTemplate(&sb, name, data); err != nil {
					return err
				}
			}
			parse += mid.Sub(start)
			exec += time.Since(mid)
		}
		fmt.Printf("go text/template: %d rounds: parse %v, execute %v\n", *n, parse/time.Duration(*n), exec/time.Duration(*n))
	}
	return nil
}
