package bench

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// rawClient is the load generator's HTTP/1.1 keep-alive client: it writes
// each request with a few appends and reads the response with the standard
// parser. It replaces http.Client, whose transport (a goroutine pair and
// channels per connection) would take a large share of the two cores the
// load generator shares with the server it measures. Both handlers of a
// run are measured with it.
type rawClient struct {
	addr  string
	token string
	conn  net.Conn
	br    *bufio.Reader
	buf   []byte
}

// post sends a JSON body and returns the response status; the body is read
// and dropped. A failed connection is closed and redialled on the next call.
func (c *rawClient) post(path string, body []byte) (int, error) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 8<<10)
	}
	b := c.buf[:0]
	b = append(b, "POST "...)
	b = append(b, path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, c.addr...)
	if c.token != "" {
		b = append(b, "\r\nAuthorization: Bearer "...)
		b = append(b, c.token...)
	}
	b = append(b, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\n\r\n"...)
	b = append(b, body...)
	c.buf = b
	if _, err := c.conn.Write(b); err != nil {
		c.close()
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.close()
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		c.close()
	}
	if err != nil {
		return 0, fmt.Errorf("reading the response: %w", err)
	}
	return resp.StatusCode, nil
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
