package opcua

// Numeric and Timestamp expose the data-value readers to the black-box tests.
var (
	Numeric   = numeric
	Timestamp = timestamp
)
