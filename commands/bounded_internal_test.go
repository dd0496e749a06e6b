package commands

import "testing"

func TestBoundedKeepsTheLastKeys(t *testing.T) {
	tests := []struct {
		name string
		max  int
		sets []int
		want []int // present afterwards
		gone []int
	}{
		{"under the bound", 3, []int{1, 2}, []int{1, 2}, nil},
		{"the oldest goes", 3, []int{1, 2, 3, 4}, []int{2, 3, 4}, []int{1}},
		{"setting again keeps its place", 2, []int{1, 2, 1, 3}, []int{2, 3}, []int{1}},
		{"many", 10, seq(1000), seq(1000)[990:], seq(990)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBounded[int, int](tt.max)
			for _, k := range tt.sets {
				b.set(k, k*10)
			}
			for _, k := range tt.want {
				if v, ok := b.get(k); !ok || v != k*10 {
					t.Errorf("get(%d) = %d, %v; want %d, true", k, v, ok, k*10)
				}
			}
			for _, k := range tt.gone {
				if _, ok := b.get(k); ok {
					t.Errorf("get(%d) found, want gone", k)
				}
			}
			if b.len() > tt.max || len(b.order) > 2*tt.max+1 {
				t.Errorf("len %d, order %d: want ≤ %d and ≤ %d", b.len(), len(b.order), tt.max, 2*tt.max+1)
			}
		})
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
