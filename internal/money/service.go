package money

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// GradeSource gives an agreement's assessment grade for a year (the
// assessment feature's result). ok is false when the advisor was not
// assessed there; grade rules then deduct nothing. It is optional: a nil
// source means no grade is known.
type GradeSource interface {
	Grade(ctx context.Context, agreementID int64, village string, year int) (grade string, ok bool, err error)
}

// Service holds the money rules: standards, deduction rules, settlements
// and payment lists.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Grades is the assessment result, when that feature provides one.
	Grades GradeSource

	svc *registry.Service
	lg  *ledger.Service
}

// NewService builds the money service over the layered service and the
// ledger (duty results are read through its Go API).
func NewService(svc *registry.Service, lg *ledger.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, svc: svc, lg: lg}
}

// Now is the layered service's clock.
func (s *Service) Now() time.Time { return s.svc.Now() }

// Today is the date today in China.
func (s *Service) Today() string { return s.svc.Today() }

// regionName is a region's name ("" when there is none).
func (s *Service) regionName(ctx context.Context, code string) string {
	if r, err := registry.Region(ctx, s.DB, code); err == nil {
		return r.Name
	}
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// yuanArg formats an amount for a message argument ("6,000.00").
func yuanArg(f Fen) string { return FormatYuan(f) }

// amountErr is the field error of a bad amount.
func amountErr(field string) counsel.FieldError {
	return counsel.FieldError{Field: field, Key: "err.money_amount"}
}
