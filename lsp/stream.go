package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	sjson "github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxFrame bounds one message; a larger one is skipped unread.
const maxFrame = 512 << 20

// bigFrame is the size of a large document: its line index is built
// concurrently with its analysis.
const bigFrame = 64 << 10

// stream reads and writes LSP frames itself. Writing differs from
// jsonrpc2.NewStream in that a frame is one write, not two (header, then
// body), and that a notification's params, already encoded by jsonrpc2, are
// not encoded a second time (jsonrpc2 re-validates and re-escapes them: for
// the diagnostics of a large document, a pass as long as building them).
// Reading differs from jsonrpc2.NewStream in three ways: a frame that does
// not decode is skipped (jsonrpc2 closes the connection), header names are
// case-insensitive, and document texts are cut out of didOpen and didChange
// frames before anything decodes them (cutDocumentText): decoding a 1 MB
// text cost two full JSON passes (the message, then the params) and took as
// long as parsing and checking the document. Messages are decoded without
// jsonrpc2's decoders (decodeMessage).
type stream struct {
	rwc io.ReadWriteCloser
	in  *bufio.Reader
	log *zap.Logger

	wmu sync.Mutex // one frame at a time

	mu   sync.Mutex
	text *cutText // text cut from the message Read returned last
}

// cutText is a document text taken out of message msg.
type cutText struct {
	msg  jsonrpc2.Message
	text []byte
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger) *stream {
	return &stream{rwc: rwc, in: bufio.NewReaderSize(rwc, 64<<10), log: log}
}

// Write writes msg as one frame.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	buf := getFrame()
	defer putFrame(buf)
	var start int
	var err error
	if *buf, start, err = appendFrame((*buf)[:0], msg); err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return s.writeFrame((*buf)[start:])
}

// notify writes a notification with params encoded straight into the
// frame: the bytes jsonrpc2's Conn.Notify would send, without its copy of
// the encoded params. The server publishes diagnostics this way, on every
// change.
func (s *stream) notify(ctx context.Context, method string, params any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	buf := getFrame()
	defer putFrame(buf)
	var start int
	var err error
	if *buf, start, err = appendNotification((*buf)[:0], method, params); err != nil {
		return fmt.Errorf("marshaling %s: %w", method, err)
	}
	_, err = s.writeFrame((*buf)[start:])
	return err
}

func (s *stream) writeFrame(frame []byte) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	n, err := s.rwc.Write(frame)
	return int64(n), err
}

// Close closes the connection.
func (s *stream) Close() error { return s.rwc.Close() }

// Frames are encoded in pooled buffers: a 2 KB document's diagnostics
// frame is about 4 KB, and allocating it (and jsonrpc2's copy of its
// params) on every keystroke was a third of what a change allocated, and
// so of how often the collector ran under the user's typing.
var framePool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// maxPooledFrame is the largest buffer kept for reuse: the frames of a
// large document's diagnostics are not held between changes.
const maxPooledFrame = 1 << 20

func getFrame() *[]byte { return framePool.Get().(*[]byte) }

func putFrame(b *[]byte) {
	if cap(*b) <= maxPooledFrame {
		*b = (*b)[:0]
		framePool.Put(b)
	}
}

// frameHeaderRoom is room for "Content-Length: N\r\n\r\n" before a body.
const frameHeaderRoom = 32

// appendFrame appends msg's frame, its header and JSON body, to dst. The
// frame is out[start:].
func appendFrame(dst []byte, msg jsonrpc2.Message) (out []byte, start int, err error) {
	if n, ok := msg.(*jsonrpc2.Notification); ok && len(n.Params()) > 0 {
		// The bytes jsonrpc2 would produce, without its second pass over
		// the params (json.Marshal output is valid, compact and escaped).
		return appendNotification(dst, n.Method(), json.RawMessage(n.Params()))
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return dst, 0, err
	}
	base := len(dst)
	dst = append(dst, make([]byte, frameHeaderRoom)...)
	dst = append(dst, data...)
	return dst, withHeader(dst, base), nil
}

// appendNotification appends the frame of a notification of method with
// params to dst; the frame is out[start:]. Params are encoded as jsonrpc2
// encodes them (segmentio's encoder, HTML-escaped, map keys sorted); a
// json.RawMessage is copied as it is.
func appendNotification(dst []byte, method string, params any) (out []byte, start int, err error) {
	base := len(dst)
	dst = append(dst, make([]byte, frameHeaderRoom)...)
	dst = append(dst, `{"jsonrpc":"2.0","method":`...)
	dst = sjson.AppendEscape(dst, method, sjson.EscapeHTML)
	dst = append(dst, `,"params":`...)
	if raw, ok := params.(json.RawMessage); ok {
		dst = append(dst, raw...)
	} else if dst, err = sjson.Append(dst, params, sjson.EscapeHTML|sjson.SortMapKeys); err != nil {
		return dst, 0, err
	}
	dst = append(dst, '}')
	return dst, withHeader(dst, base), nil
}

// withHeader writes the Content-Length header at the end of the room left
// at dst[base:] for it, and returns where the header starts.
func withHeader(dst []byte, base int) int {
	var room [frameHeaderRoom]byte // built on the stack: Itoa would allocate
	header := append(room[:0], "Content-Length: "...)
	header = strconv.AppendInt(header, int64(len(dst)-base-frameHeaderRoom), 10)
	header = append(header, "\r\n\r\n"...)
	start := base + frameHeaderRoom - len(header)
	copy(dst[start:], header)
	return start
}

// errFrame marks a frame that is malformed but was consumed: the stream can
// go on with the next one.
var errFrame = errors.New("malformed frame")

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		if errors.Is(err, errFrame) {
			s.log.Warn("skipping malformed frame", zap.Error(err))
			continue
		}
		if err != nil {
			return nil, n, err
		}
		var cut *cutText
		small, text, res := cutDocumentText(body)
		switch res {
		case cutInvalid:
			s.log.Warn("skipping a message that does not decode: its document text is not a valid JSON string", zap.Int("bytes", len(body)))
			continue
		case cutDone:
			// The text was decoded in place: body is no longer JSON. The
			// small frame differs from it by one string literal, so it
			// decodes exactly when body would have.
			msg, err := decodeMessage(small)
			if err != nil {
				s.log.Warn("skipping a message that does not decode", zap.Error(err), zap.Int("bytes", len(body)))
				continue
			}
			cut = &cutText{msg: msg, text: text}
		}
		s.mu.Lock()
		s.text = cut
		s.mu.Unlock()
		if cut != nil {
			return cut.msg, n, nil
		}
		msg, err := decodeMessage(body)
		if err != nil {
			s.log.Warn("skipping a message that does not decode", zap.Error(err), zap.Int("bytes", len(body)))
			continue
		}
		if resp, ok := msg.(*jsonrpc2.Response); ok {
			if call := emptyMethodCall(body, resp); call != nil {
				msg = call
			}
		}
		return msg, n, nil
	}
}

// decodeMessage is jsonrpc2.DecodeMessage for requests and notifications,
// without its json.Decoder, which allocates a 32 KB buffer for every
// message: for a keystroke in a small document that was more garbage than
// parsing and checking it. Responses (rare: replies to the server's own
// requests) still go through jsonrpc2.DecodeMessage. Params are kept as
// sent, compacted; absent params become null.
func decodeMessage(data []byte) (jsonrpc2.Message, error) {
	var m struct {
		Version *string          `json:"jsonrpc"`
		ID      *jsonrpc2.ID     `json:"id"`
		Method  string           `json:"method"`
		Params  *json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("unmarshaling jsonrpc message: %w", err)
	}
	if m.Method == "" {
		return jsonrpc2.DecodeMessage(data)
	}
	if m.Version != nil && *m.Version != jsonrpc2.Version {
		return nil, fmt.Errorf("invalid RPC version %q", *m.Version)
	}
	var params any
	if m.Params != nil {
		params = *m.Params
	}
	if m.ID == nil {
		return jsonrpc2.NewNotification(m.Method, params)
	}
	return jsonrpc2.NewCall(*m.ID, m.Method, params)
}

// emptyMethodCall recognises a request whose method is "": jsonrpc2 tells
// requests from responses by the method, takes it for a response, and the
// request is never answered. It is returned as a call, which gets
// MethodNotFound. Only responses are checked, and clients send few.
func emptyMethodCall(body []byte, resp *jsonrpc2.Response) *jsonrpc2.Call {
	var m struct {
		Method *string          `json:"method"`
		Params *json.RawMessage `json:"params"`
	}
	if json.Unmarshal(body, &m) != nil || m.Method == nil || *m.Method != "" {
		return nil
	}
	var params any
	if m.Params != nil {
		params = *m.Params
	}
	call, err := jsonrpc2.NewCall(resp.ID(), "", params)
	if err != nil {
		return nil
	}
	return call
}

// takeText returns the document text cut out of msg, if any. The read loop
// handles each message before reading the next, so one slot is enough.
func (s *stream) takeText(msg jsonrpc2.Message) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text == nil || s.text.msg != msg {
		return nil, false
	}
	t := s.text.text
	s.text = nil
	return t, true
}

// readFrame reads one "Content-Length: N\r\n\r\n" + N bytes frame.
func (s *stream) readFrame() ([]byte, int64, error) {
	var total int64
	length, headers := -1, 0
	for {
		raw, err := s.in.ReadSlice('\n')
		total += int64(len(raw))
		if errors.Is(err, bufio.ErrBufferFull) {
			// No header is 64 KB long: skip the rest of the line without
			// keeping it (ReadString would hold a line of any length).
			n, err := s.skipLine()
			total += n
			if err != nil {
				return nil, total, err
			}
			return nil, total, fmt.Errorf("%w: header line longer than %d bytes", errFrame, s.in.Size())
		}
		if err != nil {
			return nil, total, err
		}
		line := strings.TrimSpace(string(raw))
		if line == "" {
			if headers == 0 {
				continue // stray blank lines between frames
			}
			break
		}
		headers++
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, total, fmt.Errorf("%w: header line %q", errFrame, line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, total, fmt.Errorf("%w: Content-Length %q", errFrame, value)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, total, fmt.Errorf("%w: no Content-Length header", errFrame)
	}
	if length > maxFrame {
		n, err := s.in.Discard(length)
		total += int64(n)
		if err != nil {
			return nil, total, err
		}
		return nil, total, fmt.Errorf("%w: %d bytes is over the %d limit", errFrame, length, maxFrame)
	}
	body, err := readBody(s.in, length)
	total += int64(len(body))
	if err != nil {
		return nil, total, err
	}
	return body, total, nil
}

// skipLine discards input up to and including the next '\n'.
func (s *stream) skipLine() (int64, error) {
	var total int64
	for {
		raw, err := s.in.ReadSlice('\n')
		total += int64(len(raw))
		if !errors.Is(err, bufio.ErrBufferFull) {
			return total, err
		}
	}
}

// bodyChunk is the most readBody allocates ahead of the bytes it has
// received.
const bodyChunk = 16 << 20

// readBody reads an n-byte body. Memory grows with the bytes that arrive,
// not with the length the header claims: a header announcing 500 MB
// followed by nothing costs 16 MB, not 500 MB. Bodies up to bodyChunk
// (documents up to the default size limit and beyond) are read into one
// allocation of exactly n bytes.
func readBody(r io.Reader, n int) ([]byte, error) {
	body := make([]byte, 0, min(n, bodyChunk))
	for len(body) < n {
		if len(body) == cap(body) {
			// Double, up to n: the copies add up to less than n.
			grown := make([]byte, len(body), min(2*cap(body), n))
			copy(grown, body)
			body = grown
		}
		k, err := io.ReadFull(r, body[len(body):min(cap(body), n)])
		body = body[:len(body)+k]
		if err != nil {
			return body, err
		}
	}
	return body, nil
}
