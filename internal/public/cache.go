package public

import (
	"context"
	"sync"
	"time"
)

// The public boards are read far more often than they change (every
// resident scanning a service card's QR code), and building one takes
// eight queries. Boards are therefore kept for a few seconds per village:
// a change of anything a board shows (on-site hours, the judicial office,
// the WeChat group and its QR here; the advisor, the agreement, the
// provider in the layered service, which calls ResetBoardCache) drops them
// all at once after its commit. A cached board is shared: callers must not
// change it.

// BoardCacheTTL is how long a built board is served from memory.
const BoardCacheTTL = 3 * time.Second

type boardCache struct {
	mu     sync.Mutex
	gen    uint64 // bumped by every change of what boards show
	boards map[string]boardCached
}

type boardCached struct {
	b       *Board
	expires time.Time
}

// reset forgets every cached board (after a change that shows on boards).
func (c *boardCache) reset() {
	c.mu.Lock()
	c.gen++
	c.boards = map[string]boardCached{}
	c.mu.Unlock()
}

// get returns the village's board from the cache or builds it.
func (c *boardCache) get(ctx context.Context, s *Service, code string) (*Board, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.boards[code]
	gen := c.gen
	c.mu.Unlock()
	// The group's QR expires on the service's clock: a board that would
	// now say otherwise is built again.
	if ok && now.Before(e.expires) && (e.b.Group == nil || e.b.Group.QRExpiresAt == 0 || e.b.Group.QRValid == (s.Now().UnixMilli() < e.b.Group.QRExpiresAt)) {
		return e.b, nil
	}
	v, err := s.PublicVillage(ctx, code)
	if err != nil {
		return nil, err
	}
	b, err := s.board(ctx, v)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen { // no change committed while it was built
		c.boards[code] = boardCached{b: b, expires: now.Add(BoardCacheTTL)}
	}
	c.mu.Unlock()
	return b, nil
}
