package gauge

// PlainRecorded is ReadingsRecorded without its JSON methods: encoding/json's reflective
// behaviour, which the hand-written methods must match exactly.
type PlainRecorded = plainRecorded
