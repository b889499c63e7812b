package public

import (
	"net/http"
	"sync"

	"github.com/villagecounsel/counsel/server"
)

// The rendered board of an anonymous visitor depends only on the board, the
// language and the care mode: it is kept beside the board it was drawn from
// and drawn again when the service hands out another board (the service
// keeps each for a few seconds and drops them on a change).

// maxBoardPages bounds the cache (villages × languages × care modes); past
// it the cache starts afresh.
const maxBoardPages = 4096

type boardPageKey struct {
	code, lang string
	care       bool
}

type boardPage struct {
	b    *Board
	html []byte
}

type boardPages struct {
	mu    sync.Mutex
	pages map[boardPageKey]boardPage
}

// cacheable tells whether the request's page is the same for every
// anonymous visitor (no session, no query, no flash).
func boardCacheable(r *http.Request) bool {
	return r.URL.RawQuery == "" && server.CSRF(r.Context()) == "" && server.User(r.Context()) == nil
}

func (c *boardPages) get(k boardPageKey, b *Board) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pages[k]; ok && p.b == b {
		return p.html
	}
	return nil
}

func (c *boardPages) put(k boardPageKey, b *Board, html []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= maxBoardPages {
		c.pages = map[boardPageKey]boardPage{}
	}
	c.pages[k] = boardPage{b: b, html: html}
}
