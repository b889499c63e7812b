package selection

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/store"
)

// Abuse limits of the one-time codes, counted in the database so that they
// hold across restarts and app processes.
const (
	CodeGap       = time.Minute // at most one code per phone per minute …
	CodesPerPhone = 5           // … and this many per phone per hour
	CodesPerIP    = 20          // codes per client address per hour
	CodeAttempts  = 5           // wrong guesses before a code is spent
	SessionLife   = 12 * time.Hour
	codeDigits    = 6
	limitWindow   = time.Hour
)

// normalizePhone keeps the digits of a mainland mobile number.
func normalizePhone(p string) string {
	return strings.NewReplacer(" ", "", "-", "", "+86", "").Replace(strings.TrimSpace(p))
}

func validMobile(p string) bool {
	if len(p) != 11 || p[0] != '1' || p[1] < '3' {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// codeHash is a salted SHA-256 of the phone and the code; the code itself is
// never stored or logged.
func codeHash(salt, phone, code string) string {
	h := sha256.Sum256([]byte(salt + "|" + phone + "|" + code))
	return salt + ":" + hex.EncodeToString(h[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%0*d", codeDigits, n.Int64())
}

// RequestCode sends a one-time code to a phone, within the limits per phone
// and per address. The code is kept only as a salted hash.
func (s *Service) RequestCode(ctx context.Context, phone, ip string) error {
	phone = normalizePhone(phone)
	if !validMobile(phone) {
		return counsel.Invalid(counsel.FieldError{Field: "phone", Key: "sel.err_phone"})
	}
	now := s.Now()
	ms := now.UnixMilli()
	code := randomCode()
	minutes := Default004(now.Year()).Vote.CodeMinutes
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		var last int64
		_ = tx.Row(ctx, `SELECT COALESCE(MAX(created_at), 0) FROM sel_codes WHERE phone = ?`, phone).Scan(&last)
		if last > 0 && ms-last < CodeGap.Milliseconds() {
			return counsel.Invalid(counsel.FieldError{Field: "phone", Key: "sel.err_code_wait", Args: []any{int((CodeGap.Milliseconds() - (ms - last) + 999) / 1000)}})
		}
		since := ms - limitWindow.Milliseconds()
		n, err := tx.Count(ctx, `SELECT COUNT(*) FROM sel_codes WHERE phone = ? AND created_at > ?`, phone, since)
		if err != nil {
			return err
		}
		if n >= CodesPerPhone {
			return counsel.Invalid(counsel.FieldError{Field: "phone", Key: "sel.err_code_phone_limit"})
		}
		if n, err = tx.Count(ctx, `SELECT COUNT(*) FROM sel_codes WHERE ip = ? AND created_at > ?`, ip, since); err != nil {
			return err
		}
		if n >= CodesPerIP {
			return counsel.Invalid(counsel.FieldError{Field: "phone", Key: "sel.err_code_ip_limit"})
		}
		return IssueCode(ctx, tx, phone, code, ip, ms, ms+int64(minutes)*60_000)
	})
	if err != nil {
		return err
	}
	if err := s.Sender.Send(ctx, phone, code); err != nil {
		s.Log.Warn("selection: code not sent", "phone", sms.MaskPhone(phone), "sender", s.Sender.Name(), "err", err)
		return counsel.Errorf(counsel.CodeInternal, "sel.err_code_send")
	}
	s.Log.Info("selection: code sent", "phone", sms.MaskPhone(phone), "sender", s.Sender.Name())
	return nil
}

// IssueCode stores a code for a phone (as a salted hash): RequestCode's
// write, and the way fixtures give a test voter a known code.
func IssueCode(ctx context.Context, tx *store.Tx, phone, code, ip string, createdAt, expiresAt int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO sel_codes (phone, code_hash, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		phone, codeHash(randomHex(8), phone, code), ip, createdAt, expiresAt)
	return err
}

// VerifyCode checks a phone's latest code and opens a voter session for the
// device; it returns the session token (kept only as a hash).
func (s *Service) VerifyCode(ctx context.Context, phone, code, ip, device string) (string, error) {
	phone, code = normalizePhone(phone), strings.TrimSpace(code)
	if !validMobile(phone) {
		return "", counsel.Invalid(counsel.FieldError{Field: "phone", Key: "sel.err_phone"})
	}
	if len(code) != codeDigits {
		return "", counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code"})
	}
	ms := s.Now().UnixMilli()
	token := randomHex(32)
	var bad *counsel.Error
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		var id, expires, used int64
		var hash string
		var attempts int
		err := tx.Row(ctx, `SELECT id, code_hash, expires_at, attempts, used_at FROM sel_codes WHERE phone = ? ORDER BY created_at DESC, id DESC LIMIT 1`, phone).
			Scan(&id, &hash, &expires, &attempts, &used)
		if err != nil {
			if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
				bad = counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code_none"})
				return nil
			}
			return err
		}
		switch {
		case used > 0:
			bad = counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code_used"})
			return nil
		case ms >= expires:
			bad = counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code_expired"})
			return nil
		case attempts >= CodeAttempts:
			bad = counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code_attempts"})
			return nil
		}
		salt, _, _ := strings.Cut(hash, ":")
		if subtle.ConstantTimeCompare([]byte(codeHash(salt, phone, code)), []byte(hash)) != 1 {
			// The failed guess is counted (and committed): nothing else is written.
			_, err := tx.Exec(ctx, `UPDATE sel_codes SET attempts = attempts + 1 WHERE id = ?`, id)
			bad = counsel.Invalid(counsel.FieldError{Field: "code", Key: "sel.err_code"})
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE sel_codes SET used_at = ? WHERE id = ?`, ms, id); err != nil {
			return err
		}
		var voter int64
		if err := tx.Row(ctx, `SELECT id FROM sel_voters WHERE phone = ?`, phone).Scan(&voter); err != nil {
			if counsel.ErrorCode(store.MapErr(err)) != counsel.CodeNotFound {
				return err
			}
			if voter, err = tx.Insert(ctx, `INSERT INTO sel_voters (phone, created_at) VALUES (?, ?)`, phone, ms); err != nil {
				return err
			}
		}
		th := sha256.Sum256([]byte(token))
		_, err = tx.Exec(ctx, `INSERT INTO sel_sessions (token_hash, voter_id, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			hex.EncodeToString(th[:]), voter, device, ms, ms+SessionLife.Milliseconds())
		return err
	})
	if err != nil {
		return "", err
	}
	if bad != nil {
		return "", bad
	}
	return token, nil
}

// VoterBySession resolves a session token; nil when unknown or expired.
func (s *Service) VoterBySession(ctx context.Context, token string) (*Voter, error) {
	if len(token) != 64 {
		return nil, nil
	}
	th := sha256.Sum256([]byte(token))
	var v Voter
	var expires int64
	err := s.DB.Row(ctx, `SELECT v.id, v.phone, s.device, s.expires_at FROM sel_sessions s JOIN sel_voters v ON v.id = s.voter_id WHERE s.token_hash = ?`,
		hex.EncodeToString(th[:])).Scan(&v.ID, &v.Phone, &v.Device, &expires)
	if err != nil {
		if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	if s.Now().UnixMilli() >= expires {
		return nil, nil
	}
	return &v, nil
}

// VotingStage is the stage of a campaign whose vote is open on date day,
// if any.
func VotingStage(c *Campaign, day string) (*StageSettings, bool) {
	for i := range c.Settings.Stages {
		st := &c.Settings.Stages[i]
		if st.Vote && day >= st.Opens && day <= st.Closes {
			return st, true
		}
	}
	return nil, false
}

// Cast records a verified voter's vote for a candidate: in the stage whose
// vote is open today, at most PerCandidatePerDay votes per candidate per
// day and MaxPerCategoryPerDay candidates per category per day. The
// ballot is appended to the stage's hash chain in the same transaction; a
// unique index on (voter, candidate, day, slot) makes the daily limit exact
// however many requests race.
func (s *Service) Cast(ctx context.Context, v *Voter, campaignID, candidateID int64, ip string) (*Ballot, error) {
	if v == nil {
		return nil, counsel.Errorf(counsel.CodeUnauthorized, "sel.err_not_verified")
	}
	c, err := CampaignByID(ctx, s.DB, campaignID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	day := now.In(calendar.Shanghai).Format(counsel.DateLayout)
	st, ok := VotingStage(c, day)
	if !ok {
		return nil, counsel.Invalid(counsel.FieldError{Field: "candidate_id", Key: "sel.err_vote_closed"})
	}
	k, err := CandidateByID(ctx, s.DB, candidateID)
	if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
		return nil, err
	}
	if k == nil || k.CampaignID != c.ID || k.Stage != st.Key || k.Status != CandidateActive {
		return nil, counsel.Invalid(counsel.FieldError{Field: "candidate_id", Key: "sel.err_not_candidate"})
	}
	rules := c.Settings.Vote
	b := &Ballot{CampaignID: c.ID, Stage: st.Key, CandidateID: k.ID, VoterID: v.ID, Category: k.Category, Day: day, IP: ip, Device: v.Device, CastAt: now.UnixMilli()}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		seq, prev, err := lockHead(ctx, tx, c.ID, st.Key)
		if err != nil {
			return err
		}
		n, err := tx.Count(ctx, `SELECT COUNT(*) FROM sel_ballots WHERE campaign_id = ? AND stage = ? AND voter_id = ? AND candidate_id = ? AND day = ?`,
			c.ID, st.Key, v.ID, k.ID, day)
		if err != nil {
			return err
		}
		if n >= rules.PerCandidatePerDay {
			return counsel.Errorf(counsel.CodeConflict, "sel.err_voted_today")
		}
		others, err := tx.Count(ctx, `SELECT COUNT(DISTINCT candidate_id) FROM sel_ballots WHERE campaign_id = ? AND stage = ? AND voter_id = ? AND day = ? AND category = ? AND candidate_id <> ?`,
			c.ID, st.Key, v.ID, day, k.Category, k.ID)
		if err != nil {
			return err
		}
		if n == 0 && others >= rules.MaxPerCategoryPerDay {
			return counsel.Errorf(counsel.CodeConflict, "sel.err_category_full", rules.MaxPerCategoryPerDay)
		}
		b.Slot, b.Seq, b.PrevHash = n+1, seq+1, prev
		b.Hash = BallotHash(prev, b)
		if err := appendBallot(ctx, tx, b); err != nil {
			if counsel.ErrorCode(err) == counsel.CodeConflict {
				return counsel.Errorf(counsel.CodeConflict, "sel.err_voted_today")
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// VoidBallot sets a ballot aside with a reason that is published; the ballot
// stays in the chain.
func (s *Service) VoidBallot(ctx context.Context, a *counsel.Actor, campaignID, ballotID int64, reason string) error {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return err
	}
	if !authzRun(a, c) {
		return counsel.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 4 || n > 200 {
		return counsel.Invalid(counsel.FieldError{Field: "reason", Key: "sel.err_reason"})
	}
	var b Ballot
	if err := scanBallot(s.DB.Row(ctx, `SELECT `+ballotCols+` FROM sel_ballots WHERE id = ? AND campaign_id = ?`, ballotID, c.ID), &b); err != nil {
		if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "ballot_id", Key: "sel.err_ballot"})
		}
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_voids (ballot_id, reason, voided_by, voided_at) VALUES (?, ?, ?, ?)`, b.ID, reason, a.Username, s.Now().UnixMilli()); err != nil {
			if counsel.ErrorCode(err) == counsel.CodeConflict {
				return counsel.Invalid(counsel.FieldError{Field: "ballot_id", Key: "sel.err_voided"})
			}
			return err
		}
		return audit.Write(ctx, tx, a, "void", "sel_ballot", b.ID, c.RegionCode, nil, map[string]any{"seq": b.Seq, "reason": reason})
	})
}
