// Package data holds the domain of 档案通: its types, their rules and their
// storage in one local SQLite file. It imports no UI code; every mutating
// method takes the acting user and checks role and scope itself, so the GUI
// and the CLI obey the same rules.
package data
