package service

import (
	"context"
	"sync"
	"time"
)

// The public boards are read far more often than they change (every
// resident scanning a service card's QR code), and building one takes
// eight queries. Boards are therefore kept for a few seconds per village:
// a change of the board's own settings (on-site hours, the judicial office,
// the WeChat group and its QR) drops them all at once after its commit;
// a change made elsewhere (the advisor, the agreement, the provider) shows
// within BoardCacheTTL. A cached board is shared: callers must not change it.

// BoardCacheTTL is how long a built board is served from memory.
const BoardCacheTTL = 3 * time.Second

type boardCache struct {
	mu     sync.Mutex
	gen    uint64 // bumped by every change of a board's settings
	boards map[string]boardCached
}

type boardCached struct {
	b       *Board
	expires time.Time
}

// boardCaches holds the cache of each Service (the Service struct is shared
// by every area; the cache lives beside it).
var boardCaches sync.Map // *Service → *boardCache

func (s *Service) boards() *boardCache {
	if c, ok := boardCaches.Load(s); ok {
		return c.(*boardCache)
	}
	c, _ := boardCaches.LoadOrStore(s, &boardCache{boards: map[string]boardCached{}})
	return c.(*boardCache)
}

// ResetBoardCache forgets every cached board (after a change that shows on
// boards).
func (s *Service) ResetBoardCache() {
	c := s.boards()
	c.mu.Lock()
	c.gen++
	c.boards = map[string]boardCached{}
	c.mu.Unlock()
}

// cachedBoard returns the village's board from the cache or builds it.
func (s *Service) cachedBoard(ctx context.Context, code string) (*Board, error) {
	c := s.boards()
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
