package data

// Version is the program version, set at build time with
// -ldflags "-X dangan/data.Version=…".
var Version = "0.1.0"
