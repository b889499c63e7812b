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
	switch {
	case authz.IsAdmin(a):
		f.Scope = ""
	case a.Role == counsel.RoleBureau:
		f.Scope = a.RegionCode
	default:
		return registry.List[counsel.AuditEntry]{}, counsel.ErrForbidden
	}
	items, total, err := audit.List(ctx, s.DB, f)
	return registry.ListOf(items, total, f.Page), err
}
