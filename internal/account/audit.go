package account

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
)

// The audit log is written by every feature through internal/audit (in the
// change's transaction); reading it is the accounts area's: the list below,
// the /audit page and its export (web_audit.go) and GET /api/v1/audit.

// Audit lists the audit log: all for the admin, the scope's for a bureau.
func (s *Service) Audit(ctx context.Context, a *counsel.Actor, f counsel.Filter) (registry.List[counsel.AuditEntry], error) {
	f, err := auditScope(a, f)
	if err != nil {
		return registry.List[counsel.AuditEntry]{}, err
	}
	pg, err := audit.ListPage(ctx, s.DB, f)
	return registry.SeekListOf(pg.Items, pg.Total, pg.Capped, pg.Next, pg.Prev, f.Page), err
}

func auditScope(a *counsel.Actor, f counsel.Filter) (counsel.Filter, error) {
	switch {
	case authz.IsAdmin(a):
		f.Scope = ""
	case a.Role == counsel.RoleBureau:
		f.Scope = a.RegionCode
	default:
		return f, counsel.ErrForbidden
	}
	return f, nil
}

// EachAudit calls fn for every audit entry Audit would list (for exports).
func (s *Service) EachAudit(ctx context.Context, a *counsel.Actor, f counsel.Filter, fn func(counsel.AuditEntry) error) error {
	f, err := auditScope(a, f)
	if err != nil {
		return err
	}
	return audit.Each(ctx, s.DB, f, fn)
}
