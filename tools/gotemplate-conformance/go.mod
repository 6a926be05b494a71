module chartkit.dev/tools/gotemplate-conformance

go 1.25
