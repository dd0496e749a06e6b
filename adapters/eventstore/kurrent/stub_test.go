package kurrent_test

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/shared"
	api "github.com/kurrent-io/KurrentDB-Client-Go/protos/kurrentdb/protocols/v1/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// stubServer answers the Streams gRPC service with the stubs the client module ships, from an
// in-memory log. It is what the adapter's contract tests talk to: it records what the client
// sends (expected revisions, filters, positions) and can be stopped and restarted on the same
// address. It imitates the parts of KurrentDB the adapter relies on; it is not KurrentDB, and a
// test passing against it claims nothing about compatibility with a real server.
type stubServer struct {
	api.UnimplementedStreamsServer

	addr string

	mu      sync.Mutex
	log     []stubEvent
	streams map[string]uint64 // stream -> number of events
	next    uint64            // next commit position
	changed chan struct{}     // closed and replaced at each append
	appends []*api.AppendReq_Options
	reads   []*api.ReadReq_Options
	appendN int
	srv     *grpc.Server
}

type stubEvent struct {
	id       *shared.UUID
	stream   string
	revision uint64
	pos      uint64
	meta     map[string]string
	custom   []byte
	data     []byte
}

func newStubServer(t testing.TB) *stubServer {
	t.Helper()
	s := &stubServer{streams: map[string]uint64{}, next: 1000, changed: make(chan struct{})}
	// A new KurrentDB node writes system events before any user event.
	s.appendSystem("$stats-127.0.0.1:2113", "$statsCollected")
	s.appendSystem("$$$scavenges", "$metadata")
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("stub server: listen: %v", err)
	}
	s.addr = lis.Addr().String()
	s.serve(lis)
	t.Cleanup(s.stop)
	return s
}

func (s *stubServer) url() string {
	// One discovery attempt, quickly: the recreation test waits for the client to give up.
	return "esdb://" + s.addr + "?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=1"
}

func (s *stubServer) serve(lis net.Listener) {
	srv := grpc.NewServer()
	api.RegisterStreamsServer(srv, s)
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(lis) }()
}

func (s *stubServer) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Stop()
	}
}

// restart serves again on the same address, with the same log.
func (s *stubServer) restart(t testing.TB) {
	t.Helper()
	var lis net.Listener
	var err error
	deadline := time.Now().Add(10 * time.Second)
	for {
		lis, err = net.Listen("tcp", s.addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // the port is released asynchronously
	}
	if err != nil {
		t.Fatalf("stub server: listen again on %s: %v", s.addr, err)
	}
	s.serve(lis)
}

func (s *stubServer) recordedAppends() []*api.AppendReq_Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*api.AppendReq_Options(nil), s.appends...)
}

func (s *stubServer) recordedReads() []*api.ReadReq_Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*api.ReadReq_Options(nil), s.reads...)
}

// add appends one event to the log; s.mu is held.
func (s *stubServer) add(stream string, meta map[string]string, custom, data []byte, id *shared.UUID) {
	m := map[string]string{"created": strconv.FormatInt(time.Now().UnixNano()/100, 10)}
	for k, v := range meta {
		m[k] = v
	}
	e := stubEvent{id: id, stream: stream, revision: s.streams[stream], pos: s.next, meta: m, custom: custom, data: data}
	s.streams[stream]++
	// Positions are byte offsets in the transaction file: increasing, with gaps.
	s.next += 64 + uint64(len(data)+len(custom)+len(stream))
	s.log = append(s.log, e)
}

func (s *stubServer) appendSystem(stream, typ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(stream, map[string]string{"type": typ, "content-type": "application/json"}, nil, []byte(`{}`), nil)
	close(s.changed)
	s.changed = make(chan struct{})
}

// appendForeign appends an event another program wrote, with user metadata that is not Vigie's.
func (s *stubServer) appendForeign(stream, typ string, custom []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(stream, map[string]string{"type": typ, "content-type": "application/json"}, custom, []byte(`{}`), nil)
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *stubServer) Append(stream grpc.ClientStreamingServer[api.AppendReq, api.AppendResp]) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	opts := first.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "first append message is not options")
	}
	var msgs []*api.AppendReq_ProposedMessage
	for {
		req, err := stream.Recv()
		if err != nil {
			break // io.EOF: the client closed its side
		}
		msgs = append(msgs, req.GetProposedMessage())
	}
	name := string(opts.GetStreamIdentifier().GetStreamName())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appends = append(s.appends, proto.Clone(opts).(*api.AppendReq_Options))
	n, exists := s.streams[name]
	ok := true
	switch o := opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_NoStream:
		ok = !exists
	case *api.AppendReq_Options_Revision:
		ok = exists && n == o.Revision+1
	case *api.AppendReq_Options_StreamExists:
		ok = exists
	}
	if !ok {
		wrong := &api.AppendResp_WrongExpectedVersion{}
		if exists {
			wrong.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: n - 1}
		} else {
			wrong.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
		}
		return stream.SendAndClose(&api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: wrong}})
	}
	for _, m := range msgs {
		s.add(name, m.GetMetadata(), m.GetCustomMetadata(), m.GetData(), m.GetId())
	}
	last := s.log[len(s.log)-1].pos
	// Now and then the node records its statistics between user events, as a real one does.
	s.appendN++
	if s.appendN%3 == 0 {
		s.add("$stats-127.0.0.1:2113", map[string]string{"type": "$statsCollected", "content-type": "application/json"}, nil, []byte(`{}`), nil)
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return stream.SendAndClose(&api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: s.streams[name] - 1},
		PositionOption:        &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{CommitPosition: last, PreparePosition: last}},
	}}})
}

func (e stubEvent) wire() *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               e.id,
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(e.stream)},
			StreamRevision:   e.revision,
			PreparePosition:  e.pos,
			CommitPosition:   e.pos,
			Metadata:         e.meta,
			CustomMetadata:   e.custom,
			Data:             e.data,
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: e.pos},
	}}}
}

// stubFilter is a server-side $all filter.
type stubFilter func(stubEvent) bool

func newStubFilter(o *api.ReadReq_Options) (stubFilter, error) {
	f := o.GetFilter()
	if f == nil {
		return func(stubEvent) bool { return true }, nil
	}
	expr, onStream := f.GetStreamIdentifier(), true
	if expr == nil {
		expr, onStream = f.GetEventType(), false
	}
	var re *regexp.Regexp
	if expr.GetRegex() != "" {
		var err error
		if re, err = regexp.Compile(expr.GetRegex()); err != nil {
			return nil, err
		}
	}
	return func(e stubEvent) bool {
		v := e.meta["type"]
		if onStream {
			v = e.stream
		}
		if re != nil {
			return re.MatchString(v)
		}
		for _, p := range expr.GetPrefix() {
			if strings.HasPrefix(v, p) {
				return true
			}
		}
		return false
	}, nil
}

func (s *stubServer) Read(req *api.ReadReq, stream grpc.ServerStreamingServer[api.ReadResp]) error {
	o := req.GetOptions()
	s.mu.Lock()
	s.reads = append(s.reads, proto.Clone(o).(*api.ReadReq_Options))
	s.mu.Unlock()
	if st := o.GetStream(); st != nil {
		return s.readStream(o, st, stream)
	}
	match, err := newStubFilter(o)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	all := o.GetAll()
	if o.GetSubscription() != nil {
		return s.subscribe(all, match, stream)
	}
	s.mu.Lock()
	var out []stubEvent
	count := int(o.GetCount())
	if o.GetReadDirection() == api.ReadReq_Options_Forwards {
		from := uint64(0)
		if p := all.GetPosition(); p != nil {
			from = p.GetCommitPosition()
		} else if all.GetEnd() != nil {
			from = s.next
		}
		for _, e := range s.log {
			if e.pos >= from && match(e) && len(out) < count { // inclusive, as KurrentDB
				out = append(out, e)
			}
		}
	} else {
		before := s.next
		if p := all.GetPosition(); p != nil {
			before = p.GetCommitPosition()
		}
		for i := len(s.log) - 1; i >= 0 && len(out) < count; i-- {
			if e := s.log[i]; e.pos < before && match(e) {
				out = append(out, e)
			}
		}
	}
	s.mu.Unlock()
	for _, e := range out {
		if err := stream.Send(e.wire()); err != nil {
			return err
		}
	}
	return nil
}

func (s *stubServer) readStream(o *api.ReadReq_Options, st *api.ReadReq_Options_StreamOptions, stream grpc.ServerStreamingServer[api.ReadResp]) error {
	name := string(st.GetStreamIdentifier().GetStreamName())
	s.mu.Lock()
	if _, ok := s.streams[name]; !ok {
		s.mu.Unlock()
		return stream.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{StreamNotFound: &api.ReadResp_StreamNotFound{StreamIdentifier: st.GetStreamIdentifier()}}})
	}
	var out []stubEvent
	for _, e := range s.log {
		if e.stream == name && e.revision >= st.GetRevision() && uint64(len(out)) < o.GetCount() {
			out = append(out, e)
		}
	}
	s.mu.Unlock()
	for _, e := range out {
		if err := stream.Send(e.wire()); err != nil {
			return err
		}
	}
	return nil
}

// subscribe sends the confirmation, the stored events after the position (exclusive, as
// KurrentDB), a caught-up notice, then live events until the client goes away.
func (s *stubServer) subscribe(all *api.ReadReq_Options_AllOptions, match stubFilter, stream grpc.ServerStreamingServer[api.ReadResp]) error {
	if err := stream.Send(&api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: &api.ReadResp_SubscriptionConfirmation{SubscriptionId: "stub"}}}); err != nil {
		return err
	}
	var after uint64
	switch {
	case all.GetPosition() != nil:
		after = all.GetPosition().GetCommitPosition()
	case all.GetEnd() != nil:
		s.mu.Lock()
		after = s.next
		s.mu.Unlock()
	}
	caughtUp := false
	for {
		s.mu.Lock()
		var out []stubEvent
		for _, e := range s.log {
			if e.pos > after {
				after = e.pos
				if match(e) {
					out = append(out, e)
				}
			}
		}
		changed := s.changed
		s.mu.Unlock()
		for _, e := range out {
			if err := stream.Send(e.wire()); err != nil {
				return err
			}
		}
		if !caughtUp {
			caughtUp = true
			if err := stream.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
		}
		select {
		case <-changed:
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

// rawLog lists the stub's log, for assertions.
func (s *stubServer) rawLog() []stubEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]stubEvent(nil), s.log...)
}

func (e stubEvent) String() string {
	return fmt.Sprintf("%s@%d(%s, pos %d)", e.stream, e.revision, e.meta["type"], e.pos)
}
