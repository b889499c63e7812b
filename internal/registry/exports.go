package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// The regions and titles of the 附件1 and 附件2 exports, shared by the 1+N
// feature (internal/pairing) and the 附件1 import's blank template.

// ExportRegion checks a region an export or a printable page asks for: ""
// leaves the actor's own scope; anything else must be a region the actor
// may read, else not found.
func (s *Service) ExportRegion(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	return s.exportRegion(ctx, a, region)
}

// exportRegion checks a region an export or a printable page asks for: ""
// leaves the actor's own scope; anything else must be a region the actor
// may read, else not found.
func (s *Service) exportRegion(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	if region == "" {
		return "", nil
	}
	if !counsel.ValidCode(region) {
		return "", counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	if err := s.checkRegionRead(ctx, a, region); err != nil {
		return "", err
	}
	return region, nil
}

// ExportRegionName returns the name an export's title starts with: the
// region's, or the actor's home region's when region is "" ("" for the
// administrator without a region).
func (s *Service) ExportRegionName(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	region, err := s.exportRegion(ctx, a, region)
	if err != nil {
		return "", err
	}
	if region == "" {
		if region, err = s.HomeRegion(ctx, a); err != nil || region == "" {
			return "", err
		}
	}
	r, err := Region(ctx, s.DB, region)
	if err != nil {
		return "", err
	}
	return r.Name, nil
}

// Attachment1Title is the title of the 附件1 table of a region, after the
// seed's "镜湖区“1+N”行动结对情况统计表".
func (s *Service) Attachment1Title(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	name, err := s.ExportRegionName(ctx, a, region)
	return name + "“1+N”行动结对情况统计表", err
}
