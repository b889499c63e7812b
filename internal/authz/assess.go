package authz

import "github.com/villagecounsel/counsel"

// The permission checks of the annual assessment (R38) and inspections
// (R25).

// CanReadSheet reports whether the actor may read the assessment sheet of
// region, home being the actor's home region: sheets in force on the
// actor's area and above it are readable (an advisor reads the county's).
func CanReadSheet(a *counsel.Actor, home, region string) bool {
	if IsAdmin(a) {
		return true
	}
	return home != "" && (counsel.Within(region, home) || counsel.Within(home, region))
}

// CanEditSheet reports whether the actor may set a region's own sheet: a
// county bureau its county and below, the administrator any region (a city
// or province sets its sheet through the administrator, as for duty rules).
func CanEditSheet(a *counsel.Actor, region string) bool {
	return IsAdmin(a) || CountyBureau(a) && counsel.Within(region, a.RegionCode)
}

// CanRunRound reports whether the actor runs a county's assessment round:
// opens it, publishes grades, answers objections, finalizes and amends.
func CanRunRound(a *counsel.Actor, county string) bool {
	return IsAdmin(a) || CountyBureau(a) && a.RegionCode == county
}

// CanSeeRound reports whether the actor sees a county's round and every
// advisor's result in it: the administrator, bureaus above or at the
// county (a city and province read), town offices of the county (they
// score, and see their advisors' results).
func CanSeeRound(a *counsel.Actor, county string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return counsel.Within(county, a.RegionCode)
	}
	return false
}

// ScorerRegion returns the region an actor scores for as scorer role
// scorer ("" when the actor is not that scorer): a village committee its
// village, a town office its town, a county bureau its county. The
// administrator scores as nobody: scores are the named scorer's own.
func ScorerRegion(a *counsel.Actor, scorer string) string {
	if a.Role != scorer {
		return ""
	}
	switch a.Role {
	case counsel.RoleVillage:
		if counsel.LevelOf(a.RegionCode) == counsel.LevelVillage {
			return a.RegionCode
		}
	case counsel.RoleJudicial:
		if counsel.LevelOf(a.RegionCode) == counsel.LevelTown {
			return a.RegionCode
		}
	case counsel.RoleBureau:
		if CountyBureau(a) {
			return a.RegionCode
		}
	}
	return ""
}

// CanScoreItem reports whether the actor may score an item of scorer role
// scorer for an advisor who served the given villages: only the named
// role, and only within its own area (one of the advisor's villages lies
// in it).
func CanScoreItem(a *counsel.Actor, scorer string, villages []string) bool {
	r := ScorerRegion(a, scorer)
	if r == "" {
		return false
	}
	for _, v := range villages {
		if counsel.Within(v, r) {
			return true
		}
	}
	return false
}

// IsScorer reports whether the actor scores anything at all (the scoring
// page is theirs).
func IsScorer(a *counsel.Actor) bool {
	return ScorerRegion(a, a.Role) != ""
}

// CanSeeResult reports whether the actor sees an advisor's result: the
// round's readers, the advisor, and the advisor's firm.
func CanSeeResult(a *counsel.Actor, county string, advisorID, providerID int64) bool {
	switch a.Role {
	case counsel.RoleAdvisor:
		return a.AdvisorID == advisorID
	case counsel.RoleProvider:
		return a.ProviderID == providerID
	}
	return CanSeeRound(a, county)
}

// CanObject reports whether the actor may object to an advisor's result:
// the advisor only.
func CanObject(a *counsel.Actor, advisorID int64) bool {
	return a.Role == counsel.RoleAdvisor && a.AdvisorID == advisorID
}

// CanPlanInspection reports whether the actor plans inspections of a
// county or town (R25): a county bureau in its county, a town office in its
// town, the administrator anywhere.
func CanPlanInspection(a *counsel.Actor, region string) bool { return CanWriteRegion(a, region) }

// CanSeeInspections reports whether the actor has the inspections page:
// the administrator, bureaus (a city or province reads) and town offices.
func CanSeeInspections(a *counsel.Actor) bool {
	return IsAdmin(a) || a.Role == counsel.RoleBureau || a.Role == counsel.RoleJudicial
}

// CanSeeInspection reports whether the actor sees an inspection of region:
// those of CanSeeInspections whose area contains it, or a town office whose
// town it covers (a county plan visits the office's villages).
func CanSeeInspection(a *counsel.Actor, region string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau, counsel.RoleJudicial:
		return counsel.Within(region, a.RegionCode) || counsel.Within(a.RegionCode, region)
	}
	return false
}

// CanInspect reports whether the actor records findings at a village and
// orders rectification: the county bureau and the village's town office
// (a cross-check is planned by the county and recorded by its staff).
func CanInspect(a *counsel.Actor, village string) bool { return CanWriteRegion(a, village) }

// CanCloseRectification reports whether the actor closes a rectification
// order: the firm it was sent to, or those who inspect its village.
func CanCloseRectification(a *counsel.Actor, village string, providerID int64) bool {
	if a.Role == counsel.RoleProvider {
		return providerID != 0 && a.ProviderID == providerID
	}
	return CanInspect(a, village)
}
