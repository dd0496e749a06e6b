package commands

// bounded is a map that keeps its last max keys: the oldest key set goes when a new one comes.
// The cascade engine keeps with it what it must remember of finished work (the revisions of
// cascades over, the provider references of messages sent) without growing for the life of the
// process; what falls out is read again from the log when asked.
type bounded[K comparable, V any] struct {
	max   int
	m     map[K]V
	order []K // insertion order; may hold keys deleted since
}

func newBounded[K comparable, V any](max int) *bounded[K, V] {
	return &bounded[K, V]{max: max, m: map[K]V{}}
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	v, ok := b.m[k]
	return v, ok
}

func (b *bounded[K, V]) set(k K, v V) {
	if _, ok := b.m[k]; !ok {
		b.order = append(b.order, k)
	}
	b.m[k] = v
	for len(b.m) > b.max && len(b.order) > 0 {
		delete(b.m, b.order[0])
		b.order = b.order[1:]
	}
	// Deleted keys left in order are dropped once they are half of it, so order stays O(max).
	if len(b.order) > 2*b.max {
		kept := b.order[:0]
		for _, k := range b.order {
			if _, ok := b.m[k]; ok {
				kept = append(kept, k)
			}
		}
		b.order = kept
	}
}

func (b *bounded[K, V]) len() int { return len(b.m) }
