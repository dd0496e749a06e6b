package clickhouse

// ParseDSN is parseDSN, for the fuzz test.
var ParseDSN = parseDSN
