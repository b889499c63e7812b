package money

import (
	"context"
	"encoding/json"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The SQL of settlements, their lines and corrections (money_settlements,
// money_lines, money_corrections). Names come from the reference tables
// (regions, advisors, providers) by JOIN.

const settlementCols = `s.id, s.region_code, r.name, s.year, s.half, s.period_start, s.period_end, s.status, s.computed_on,
	s.created_by, s.created_at, s.reviewed_by, s.reviewed_at, s.locked_by, s.locked_at, s.signed_by, s.signed_at,
	(SELECT COUNT(*) FROM money_lines l WHERE l.settlement_id = s.id),
	(SELECT COALESCE(SUM(l.due_fen), 0) FROM money_lines l WHERE l.settlement_id = s.id)`

const settlementFrom = ` FROM money_settlements s JOIN regions r ON r.code = s.region_code`

func scanSettlement(sc interface{ Scan(...any) error }) (*Settlement, error) {
	var st Settlement
	if err := sc.Scan(&st.ID, &st.RegionCode, &st.RegionName, &st.Year, &st.Half, &st.PeriodStart, &st.PeriodEnd, &st.Status, &st.ComputedOn,
		&st.CreatedBy, &st.CreatedAt, &st.ReviewedBy, &st.ReviewedAt, &st.LockedBy, &st.LockedAt, &st.SignedBy, &st.SignedAt,
		&st.Lines, &st.TotalFen); err != nil {
		return nil, store.MapErr(err)
	}
	return &st, nil
}

func settlementByID(ctx context.Context, q store.Q, id int64) (*Settlement, error) {
	return scanSettlement(q.Row(ctx, `SELECT `+settlementCols+settlementFrom+` WHERE s.id = ?`, id))
}

func settlementByPeriod(ctx context.Context, q store.Q, county string, year, half int) (*Settlement, error) {
	return scanSettlement(q.Row(ctx, `SELECT `+settlementCols+settlementFrom+` WHERE s.region_code = ? AND s.year = ? AND s.half = ?`, county, year, half))
}

func querySettlements(ctx context.Context, q store.Q, cond string, args ...any) ([]Settlement, error) {
	rows, err := q.Query(ctx, `SELECT `+settlementCols+settlementFrom+cond+` ORDER BY s.year DESC, s.half DESC, s.region_code LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Settlement{}
	for rows.Next() {
		st, err := scanSettlement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *st)
	}
	return out, store.MapErr(rows.Err())
}

// settlementsIn lists the settlements of counties in scope ("" = all).
func settlementsIn(ctx context.Context, q store.Q, scope string) ([]Settlement, error) {
	var w store.Where
	w.InRange("s.region_code", scope)
	return querySettlements(ctx, q, w.String(), w.Args()...)
}

// settlementsPaidBy lists the locked or signed settlements in which payer
// (a city, county or town) pays something.
func settlementsPaidBy(ctx context.Context, q store.Q, payer string) ([]Settlement, error) {
	if counsel.LevelOf(payer) == counsel.LevelTown {
		lo, hi := counsel.CodeRange(payer)
		return querySettlements(ctx, q, ` WHERE s.status IN ('locked', 'signed') AND EXISTS (SELECT 1 FROM money_lines l
			WHERE l.settlement_id = s.id AND l.town_fen <> 0 AND l.village_code BETWEEN ? AND ?)`, lo, hi)
	}
	return querySettlements(ctx, q, ` WHERE s.status IN ('locked', 'signed') AND EXISTS (SELECT 1 FROM money_lines l
		WHERE l.settlement_id = s.id AND l.payer_code = ?)`, payer)
}

const lineCols = `l.id, l.settlement_id, l.agreement_id, l.village_code, l.advisor_id, l.provider_id, l.underdeveloped, l.term_start, l.term_end,
	l.standard_fen, l.months, l.prorated_fen, l.deduction_fen, l.correction_fen, l.due_fen, l.payer_kind, l.payer_code, l.town_fen, l.details,
	v.name, t.name, a.name, p.name`

const lineFrom = ` FROM money_lines l JOIN regions v ON v.code = l.village_code JOIN regions t ON t.code = v.parent_code
	JOIN advisors a ON a.id = l.advisor_id JOIN providers p ON p.id = l.provider_id`

func scanLine(sc interface{ Scan(...any) error }) (*Line, error) {
	var l Line
	var details string
	if err := sc.Scan(&l.ID, &l.SettlementID, &l.AgreementID, &l.VillageCode, &l.AdvisorID, &l.ProviderID, &l.Underdeveloped, &l.TermStart, &l.TermEnd,
		&l.StandardFen, &l.Months, &l.ProratedFen, &l.DeductionFen, &l.CorrectionFen, &l.DueFen, &l.PayerKind, &l.PayerCode, &l.TownFen, &details,
		&l.VillageName, &l.TownName, &l.AdvisorName, &l.ProviderName); err != nil {
		return nil, store.MapErr(err)
	}
	if err := json.Unmarshal([]byte(details), &l.Details); err != nil || l.Details == nil {
		l.Details = []Deduction{}
	}
	return &l, nil
}

func lineByID(ctx context.Context, q store.Q, id int64) (*Line, error) {
	return scanLine(q.Row(ctx, `SELECT `+lineCols+lineFrom+` WHERE l.id = ?`, id))
}

// linesOf lists a settlement's lines by town, village and term.
func linesOf(ctx context.Context, q store.Q, id int64) ([]Line, error) {
	rows, err := q.Query(ctx, `SELECT `+lineCols+lineFrom+` WHERE l.settlement_id = ? ORDER BY l.village_code, l.term_start, l.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Line{}
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *l)
	}
	return out, store.MapErr(rows.Err())
}

// insertLines stores a settlement's lines, many to a statement.
func insertLines(ctx context.Context, tx *store.Tx, id int64, lines []Line) error {
	const batch = 200
	for i := 0; i < len(lines); i += batch {
		chunk := lines[i:min(i+batch, len(lines))]
		rows := make([][]any, 0, len(chunk))
		for _, l := range chunk {
			details, err := json.Marshal(l.Details)
			if err != nil {
				return err
			}
			rows = append(rows, []any{id, l.AgreementID, l.VillageCode, l.AdvisorID, l.ProviderID, l.Underdeveloped, l.TermStart, l.TermEnd,
				l.StandardFen, l.Months, l.ProratedFen, l.DeductionFen, l.CorrectionFen, l.DueFen, l.PayerKind, l.PayerCode, l.TownFen, string(details)})
		}
		if err := tx.ExecRows(ctx, `INSERT INTO money_lines (settlement_id, agreement_id, village_code, advisor_id, provider_id, underdeveloped,
			term_start, term_end, standard_fen, months, prorated_fen, deduction_fen, correction_fen, due_fen, payer_kind, payer_code, town_fen, details) VALUES `,
			`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ``, rows); err != nil {
			return err
		}
	}
	return nil
}

func correctionsOf(ctx context.Context, q store.Q, id int64) ([]Correction, error) {
	rows, err := q.Query(ctx, `SELECT c.id, c.settlement_id, c.line_id, c.before_fen, c.after_fen, c.reason, c.created_by, c.created_at, v.name
		FROM money_corrections c JOIN money_lines l ON l.id = c.line_id JOIN regions v ON v.code = l.village_code
		WHERE c.settlement_id = ? ORDER BY c.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Correction{}
	for rows.Next() {
		var c Correction
		if err := rows.Scan(&c.ID, &c.SettlementID, &c.LineID, &c.BeforeFen, &c.AfterFen, &c.Reason, &c.CreatedBy, &c.CreatedAt, &c.VillageName); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, c)
	}
	return out, store.MapErr(rows.Err())
}
