package apikey

// DecodeFile exposes the key file parser to the fuzz test.
var DecodeFile = decodeFile
