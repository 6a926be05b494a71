// Command gotemplate-conformance produces the expectations chartkit's
// text/template reimplementation is tested against, using Go's own
// text/template as the oracle.
//
//	go run . cases   -spec SPEC.jsonl -out CASES.json
//	go run . unicode -out unicode_tables.rs
//	go run . render  -dir CHART -out GOLDEN [-n ROUNDS]
//
// See README.md for the case format.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"text/template"
	"unicode"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gotemplate-conformance cases|unicode [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "cases":
		err = runCases(os.Args[2:])
	case "render":
		err = runRender(os.Args[2:])
	case "unicode":
		err = runUnicode(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// specCase is one line of the spec file.
type specCase struct {
	Name       string          `json:"n"`
	Template   *string         `json:"t,omitempty"`
	Templates  [][2]string     `json:"ts,omitempty"`
	Exec       string          `json:"e,omitempty"`
	Data       json.RawMessage `json:"d,omitempty"`
	MissingKey string          `json:"mk,omitempty"`
}

// resultCase is a spec case plus what Go did with it.
type resultCase struct {
	Name       string          `json:"name"`
	Templates  [][2]string     `json:"templates"`
	Exec       string          `json:"exec"`
	Data       json.RawMessage `json:"data,omitempty"`
	MissingKey string          `json:"missingkey,omitempty"`
	// Exactly one of Output and Error is set.
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
	// "parse" or "exec" when Error is set.
	Phase string `json:"phase,omitempty"`
}

func runCases(args []string) error {
	fs := flag.NewFlagSet("cases", flag.ExitOnError)
	spec := fs.String("spec", "", "spec file (JSON lines)")
	out := fs.String("out", "", "output file (JSON)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*spec)
	if err != nil {
		return err
	}
	defer f.Close()
	var results []resultCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") {
			continue
		}
		var c specCase
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return fmt.Errorf("%s:%d: %v", *spec, line, err)
		}
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("%s:%d: missing or duplicate case name %q", *spec, line, c.Name)
		}
		seen[c.Name] = true
		r, err := runCase(c)
		if err != nil {
			return fmt.Errorf("%s:%d (%s): %v", *spec, line, c.Name, err)
		}
		results = append(results, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	doc := struct {
		Generator string       `json:"generator"`
		Cases     []resultCase `json:"cases"`
	}{"tools/gotemplate-conformance with " + runtime.Version(), results}
	if err := enc.Encode(doc); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d cases written to %s\n", len(results), *out)
	return os.WriteFile(*out, buf.Bytes(), 0o644)
}

func runCase(c specCase) (resultCase, error) {
	r := resultCase{Name: c.Name, Exec: c.Exec, Data: c.Data, MissingKey: c.MissingKey}
	if c.Template != nil {
		r.Templates = append(r.Templates, [2]string{"main", *c.Template})
	}
	r.Templates = append(r.Templates, c.Templates...)
	if r.Exec == "" {
		r.Exec = "main"
	}
	var data any
	if len(c.Data) > 0 {
		var err error
		if data, err = decodeData(c.Data); err != nil {
			return r, err
		}
	}
	root := template.New("")
	root.Funcs(testFuncs(root))
	if c.MissingKey != "" {
		root.Option("missingkey=" + c.MissingKey)
	}
	setErr := func(phase string, err error) {
		msg := err.Error()
		r.Error = &msg
		r.Phase = phase
	}
	for _, nt := range r.Templates {
		if _, err := root.New(nt[0]).Parse(nt[1]); err != nil {
			setErr("parse", err)
			return r, nil
		}
	}
	var buf strings.Builder
	if err := root.ExecuteTemplate(&buf, r.Exec, data); err != nil {
		setErr("exec", err)
		return r, nil
	}
	s := buf.String()
	r.Output = &s
	return r, nil
}

// decodeData turns the typed JSON encoding into Go values:
//
//	null, true/false, "s"          nil, bool, string
//	1 / 1.5 / 1e3                  int / float64 / float64 (by the literal's spelling)
//	[...]                          []interface{}
//	{...}                          map[string]interface{}
//	{"$int64": 1}                  int64
//	{"$uint8": 1}                  uint8
//	{"$float": 1 | "+Inf" | "-Inf" | "NaN"}  float64
//	{"$bytes": "text"}             []byte
//	{"$strings": ["a", "b"]}       []string
//	{"$obj": {"Name": "x", "N": 1}} *Obj
func decodeData(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return convert(v)
}

func convert(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, string:
		return v, nil
	case json.Number:
		s := v.String()
		if strings.ContainsAny(s, ".eE") {
			return v.Float64()
		}
		i, err := v.Int64()
		return int(i), err
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			c, err := convert(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		if len(v) == 1 {
			for k, inner := range v {
				if strings.HasPrefix(k, "$") {
					return convertTagged(k, inner)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			c, err := convert(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected JSON value %v", v)
}

func convertTagged(tag string, v any) (any, error) {
	switch tag {
	case "$int64":
		n, ok := v.(json.Number)
		if !ok {
			return nil, errors.New("$int64 needs a number")
		}
		return n.Int64()
	case "$uint8":
		n, ok := v.(json.Number)
		if !ok {
			return nil, errors.New("$uint8 needs a number")
		}
		i, err := n.Int64()
		if err != nil || i < 0 || i > 255 {
			return nil, fmt.Errorf("bad $uint8 %v", v)
		}
		return uint8(i), nil
	case "$float":
		switch x := v.(type) {
		case json.Number:
			return x.Float64()
		case string:
			switch x {
			case "+Inf":
				return math.Inf(1), nil
			case "-Inf":
				return math.Inf(-1), nil
			case "NaN":
				return math.NaN(), nil
			case "-0":
				return math.Copysign(0, -1), nil
			}
		}
		return nil, fmt.Errorf("bad $float %v", v)
	case "$bytes":
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("$bytes needs a string")
		}
		return []byte(s), nil
	case "$strings":
		l, ok := v.([]any)
		if !ok {
			return nil, errors.New("$strings needs a list")
		}
		out := make([]string, len(l))
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("$strings needs strings")
			}
			out[i] = s
		}
		return out, nil
	case "$obj":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("$obj needs an object")
		}
		o := &Obj{}
		if s, ok := m["Name"].(string); ok {
			o.Name = s
		}
		if n, ok := m["N"].(json.Number); ok {
			i, err := n.Int64()
			if err != nil {
				return nil, err
			}
			o.N = int(i)
		}
		return o, nil
	}
	return nil, fmt.Errorf("unknown tag %q", tag)
}

// Obj is the host object cases can put in their data. The Rust test
// implements the same type as a chartkit_gotemplate::Object.
type Obj struct {
	Name string
	N    int
}

func (o *Obj) Hello() string                  { return "hello " + o.Name }
func (o *Obj) Greet(s string) string          { return "hi " + s + " from " + o.Name }
func (o *Obj) Fail() (string, error)          { return "", errors.New("obj failed") }
func (o *Obj) Sum(a, b int) int               { return a + b + o.N }
func (o *Obj) Self() *Obj                     { return o }
func (o *Obj) Pair(a string, b string) string { return a + "/" + b }

// testFuncs are the functions every case can call. The Rust test declares
// the same names with the same Go signatures.
func testFuncs(root *template.Template) template.FuncMap {
	return template.FuncMap{
		"tstr":    func(s string) string { return "[" + s + "]" },
		"tint":    func(i int) int { return i + 1 },
		"tint64":  func(i int64) int64 { return i + 1 },
		"tfloat":  func(f float64) float64 { return f * 2 },
		"tbool":   func(b bool) bool { return !b },
		"tany":    func(x any) string { return fmt.Sprintf("%T=%v", x, x) },
		"tlist":   func(l []any) int { return len(l) },
		"tstrs":   func(l []string) string { return strings.Join(l, ",") },
		"tmap":    func(m map[string]any) int { return len(m) },
		"tbytes":  func(b []byte) string { return string(b) },
		"tvar":    func(s string, n ...int) string { return fmt.Sprint(s, n) },
		"tvarany": func(xs ...any) int { return len(xs) },
		"terr": func(s string) (string, error) {
			if s != "" {
				return "", errors.New(s)
			}
			return "ok", nil
		},
		"tnil":      func() any { return nil },
		"tmkint64":  func(i int) int64 { return int64(i) },
		"tmkuint8":  func(i int) uint8 { return uint8(i) },
		"tmkstrs":   func(s ...string) []string { return s },
		"tinclude":  includeOf(root),
		"ttpl":      tplOf(root),
	}
}

// includeOf mirrors Helm's include: execute a named template of the set.
func includeOf(t *template.Template) func(string, any) (string, error) {
	return func(name string, data any) (string, error) {
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
}

// tplOf mirrors Helm's tpl: parse text into a clone of the set, under the
// name "tpl", and execute it there; the clone's functions see the clone.
func tplOf(parent *template.Template) func(string, any) (string, error) {
	return func(text string, data any) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", err
		}
		t.Funcs(template.FuncMap{"tinclude": includeOf(t), "ttpl": tplOf(t)})
		if _, err := t.New("tpl").Parse(text); err != nil {
			return "", err
		}
		var buf strings.Builder
		err = t.ExecuteTemplate(&buf, "tpl", data)
		return buf.String(), err
	}
}

// runUnicode writes the Unicode property tables the Rust lexer and quoting
// code need, taken from this Go toolchain so they match its Unicode version.
func runUnicode(args []string) error {
	fs := flag.NewFlagSet("unicode", flag.ExitOnError)
	out := fs.String("out", "", "output Rust file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// strconv.IsPrint and unicode.IsPrint agree; check rather than assume.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isPrintStrconv(r) != unicode.IsPrint(r) {
			return fmt.Errorf("strconv.IsPrint and unicode.IsPrint differ at %U", r)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// @generated by tools/gotemplate-conformance (`go run . unicode`) with %s\n", runtime.Version())
	fmt.Fprintf(&b, "// (Unicode %s). Do not edit.\n\n", unicode.Version)
	table(&b, "PRINT", "Go's `unicode.IsPrint` / `strconv.IsPrint`.", unicode.IsPrint)
	table(&b, "LETTER", "Go's `unicode.IsLetter`.", unicode.IsLetter)
	table(&b, "DIGIT", "Go's `unicode.IsDigit`.", unicode.IsDigit)
	return os.WriteFile(*out, []byte(b.String()), 0o644)
}

func isPrintStrconv(r rune) bool {
	return strconvIsPrint(r)
}

func table(b *strings.Builder, name, doc string, pred func(rune) bool) {
	fmt.Fprintf(b, "/// Inclusive code point ranges for %s\npub(crate) static %s: &[(u32, u32)] = &[\n", doc, name)
	start := rune(-1)
	n := 0
	flush := func(end rune) {
		fmt.Fprintf(b, "    (0x%X, 0x%X),\n", start, end)
		n++
	}
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		in := r <= unicode.MaxRune && pred(r)
		if in && start < 0 {
			start = r
		} else if !in && start >= 0 {
			flush(r - 1)
			start = -1
		}
	}
	fmt.Fprintf(b, "];\n\n")
}
