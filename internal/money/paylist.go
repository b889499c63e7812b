package money

import (
	"context"
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
)

// Payment lists (拨付清单): per payer of a settlement — city finance, county
// finance, each town — the villages it pays for and how much, with the
// total in figures and in capitals. The total is the sum of the rows to the
// fen, and the lists of a settlement add up to its total.

// Payers lists the payment lists of a settlement.
func (s *Service) Payers(ctx context.Context, a *counsel.Actor, id int64) ([]PayerRef, error) {
	st, lines, _, err := s.Settlement(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.payersOf(ctx, st, lines), nil
}

func (s *Service) payersOf(ctx context.Context, st *Settlement, lines []Line) []PayerRef {
	by := map[string]*PayerRef{}
	var order []string
	for i := range lines {
		for _, p := range lines[i].Portions() {
			r := by[p.PayerCode]
			if r == nil {
				r = &PayerRef{Kind: p.PayerKind, Code: p.PayerCode, Name: s.payerName(ctx, p.PayerKind, p.PayerCode)}
				by[p.PayerCode] = r
				order = append(order, p.PayerCode)
			}
			r.TotalFen += p.Fen
			r.Rows++
		}
	}
	rank := map[string]int{PayerCity: 0, PayerCounty: 1, PayerTown: 2}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := by[order[i]], by[order[j]]
		if rank[a.Kind] != rank[b.Kind] {
			return rank[a.Kind] < rank[b.Kind]
		}
		return a.Code < b.Code
	})
	out := make([]PayerRef, 0, len(order))
	for _, c := range order {
		out = append(out, *by[c])
	}
	return out
}

// payerName is what a payer is called on its list: 庆阳市财政局,
// 正宁县财政局, 山河镇人民政府.
func (s *Service) payerName(ctx context.Context, kind, code string) string {
	n := s.regionName(ctx, code)
	if kind == PayerTown {
		return n + "人民政府"
	}
	return n + "财政局"
}

// PayList returns a payer's payment list of a settlement: to those who may
// read the settlement, and to the payer's finance account once it is
// locked.
func (s *Service) PayList(ctx context.Context, a *counsel.Actor, id int64, payer string) (*PayList, error) {
	st, err := settlementByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadPayList(a, st.RegionCode, payer, st.Locked()) {
		return nil, counsel.ErrNotFound
	}
	lines, err := linesOf(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	pl := &PayList{Settlement: st, PayerCode: payer, Rows: []PayRow{}}
	for i := range lines {
		l := &lines[i]
		for _, p := range l.Portions() {
			if p.PayerCode != payer {
				continue
			}
			pl.PayerKind = p.PayerKind
			pl.Rows = append(pl.Rows, PayRow{LineID: l.ID, VillageCode: l.VillageCode, VillageName: l.VillageName, TownName: l.TownName,
				AdvisorName: l.AdvisorName, ProviderName: l.ProviderName, TermStart: l.TermStart, TermEnd: l.TermEnd, Months: l.Months, Fen: p.Fen})
			pl.TotalFen += p.Fen
		}
	}
	if pl.PayerKind == "" {
		return nil, counsel.ErrNotFound
	}
	pl.PayerName = s.payerName(ctx, pl.PayerKind, payer)
	pl.Capitals = Capitals(pl.TotalFen)
	return pl, nil
}

// FinanceLists lists, for a finance account, the locked settlements in
// which its region pays.
func (s *Service) FinanceLists(ctx context.Context, a *counsel.Actor) ([]Settlement, error) {
	if a.Role != counsel.RoleFinance || a.RegionCode == "" {
		return nil, counsel.ErrForbidden
	}
	return settlementsPaidBy(ctx, s.DB, a.RegionCode)
}
