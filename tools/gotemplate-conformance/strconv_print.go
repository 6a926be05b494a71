package main

import "strconv"

func strconvIsPrint(r rune) bool { return strconv.IsPrint(r) }
