// Package authz holds who may see and change what: the jurisdiction scopes and
// every permission check over the kernel's types, once. Services enforce them;
// pages ask the same functions which buttons and forms to show.
package authz

import "github.com/villagecounsel/counsel"

// IsAdmin, isBureau… name the roles.
func IsAdmin(a *counsel.Actor) bool { return a.Role == counsel.RoleAdmin }

// Regional reports whether the actor's scope is a region subtree.
func Regional(a *counsel.Actor) bool {
	return a.Role == counsel.RoleBureau || a.Role == counsel.RoleJudicial || a.Role == counsel.RoleVillage
}

// CountyBureau reports whether the actor runs a county (city and province
// bureaus are read-only).
func CountyBureau(a *counsel.Actor) bool {
	return a.Role == counsel.RoleBureau && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty
}

// CanWriteRegion reports whether the actor may change registry data (agreements,
// persons, pairings) of a village or town.
func CanWriteRegion(a *counsel.Actor, code string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return CountyBureau(a) && counsel.Within(code, a.RegionCode)
	case counsel.RoleJudicial:
		return counsel.Within(code, a.RegionCode)
	}
	return false
}

// CanReadRegion reports whether a Regional actor may read data of a region.
func CanReadRegion(a *counsel.Actor, code string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau, counsel.RoleJudicial, counsel.RoleVillage:
		return counsel.Within(code, a.RegionCode)
	}
	return false
}

// CanReadAgreement reports whether the actor may see an agreement.
func CanReadAgreement(a *counsel.Actor, g *counsel.Agreement) bool {
	switch a.Role {
	case counsel.RoleProvider:
		return g.ProviderID == a.ProviderID
	case counsel.RoleAdvisor:
		return g.AdvisorID == a.AdvisorID
	case counsel.RoleVillage:
		return g.RegionCode == a.RegionCode || (g.Packaged && g.RegionCode == counsel.ParentOf(a.RegionCode))
	}
	return CanReadRegion(a, g.RegionCode)
}

// CanEnterCampaigns reports whether the actor enters campaign days (the
// administrator, county bureaus).
func CanEnterCampaigns(a *counsel.Actor) bool { return IsAdmin(a) || CountyBureau(a) }

// CanSeeConsultations reports whether the actor has the consultation pages:
// the administrator, bureaus and judicial offices (their area) and advisors
// (their tickets). Providers and village committees do not see residents'
// questions.
func CanSeeConsultations(a *counsel.Actor) bool {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleBureau, counsel.RoleJudicial, counsel.RoleAdvisor:
		return true
	}
	return false
}

// CanReadEntry reports whether the actor may see an entry of a village.
func CanReadEntry(a *counsel.Actor, village string, providerID, advisorID int64) bool {
	switch a.Role {
	case counsel.RoleProvider:
		return providerID == a.ProviderID
	case counsel.RoleAdvisor:
		return advisorID == a.AdvisorID
	}
	return CanReadRegion(a, village)
}

// CanVerifyLedger reports whether a may check the volumes of its area:
// Regional accounts and villages, not providers or advisors.
func CanVerifyLedger(a *counsel.Actor) bool {
	return a.Role != counsel.RoleProvider && a.Role != counsel.RoleAdvisor
}

// CanSubmitMajor reports whether the actor may submit reports: advisors (for
// the villages they serve) and the administrator (for an advisor).
func CanSubmitMajor(a *counsel.Actor) bool {
	return a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleAdmin
}

// CanHandleMajor reports whether the actor may acknowledge, follow up and
// close a report of a village: the town's judicial office, the county bureau,
// the administrator. City and province bureaus only read.
func CanHandleMajor(a *counsel.Actor, village string) bool { return CanWriteRegion(a, village) }

// CanSetMajorDeadline reports whether the actor may set a county's
// acknowledgement deadline: its county bureau or the administrator.
func CanSetMajorDeadline(a *counsel.Actor) bool { return IsAdmin(a) || CountyBureau(a) }

// CanReadMajor reports whether the actor may see a report: a provider its
// advisors' reports, an advisor its own, Regional roles those of their area.
func CanReadMajor(a *counsel.Actor, m *counsel.MajorReport) bool {
	switch a.Role {
	case counsel.RoleProvider:
		return m.ProviderID == a.ProviderID
	case counsel.RoleAdvisor:
		return m.AdvisorID == a.AdvisorID
	}
	return CanReadRegion(a, m.VillageCode)
}

// CanReadOutbox: the administrator everything, a bureau its subtree.
func CanReadOutbox(a *counsel.Actor, code string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return counsel.Within(code, a.RegionCode)
	}
	return false
}

// CanWriteOutbox: the administrator everything, a county bureau its county
// (city and province bureaus read only).
func CanWriteOutbox(a *counsel.Actor, code string) bool {
	return IsAdmin(a) || CountyBureau(a) && counsel.Within(code, a.RegionCode)
}

// CanWritePairings reports whether the actor may change the persons and
// pairings of a region (for showing forms; the methods check again).
func CanWritePairings(a *counsel.Actor, code string) bool { return CanWriteRegion(a, code) }

// CanWritePersons reports whether the actor may keep a village's legal-literate
// persons: the county bureau, the town's judicial office, the village itself.
func CanWritePersons(a *counsel.Actor, village string) bool {
	if a.Role == counsel.RoleVillage {
		return a.RegionCode == village
	}
	return CanWriteRegion(a, village)
}

// KeepsPersons reports whether the actor keeps legal-literate persons at
// all (to show "add" buttons; per village CanWritePersons decides): the
// administrator, county bureaus, judicial offices and villages.
func KeepsPersons(a *counsel.Actor) bool {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleJudicial, counsel.RoleVillage:
		return true
	case counsel.RoleBureau:
		return counsel.LevelOf(a.RegionCode) == counsel.LevelCounty
	}
	return false
}

// MakesPairings reports whether the actor makes 1+N pairings (and imports
// 附件1 tables) at all: those who keep persons, except villages.
func MakesPairings(a *counsel.Actor) bool { return a.Role != counsel.RoleVillage && KeepsPersons(a) }

// SeesFullPhones reports whether the actor needs private persons' whole phone
// numbers: those who run the pairing in the village. City and province
// bureaus and provider managers see them masked (Q4).
func SeesFullPhones(a *counsel.Actor) bool {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleJudicial, counsel.RoleVillage, counsel.RoleAdvisor:
		return true
	case counsel.RoleBureau:
		return CountyBureau(a)
	}
	return false
}

// CanEditOffice reports whether the actor may keep a town's judicial
// office: that office, the county bureau, an admin.
func CanEditOffice(a *counsel.Actor, town string) bool { return CanWriteRegion(a, town) }

// CanEditProvider reports whether the actor may change a provider (and its advisors).
func CanEditProvider(a *counsel.Actor, p *counsel.Provider) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return CountyBureau(a) && p.CountyCode == a.RegionCode
	case counsel.RoleProvider:
		return p.ID == a.ProviderID
	}
	return false
}

// canReadRevisits: the administrator all, a bureau its subtree, a village
// committee its own questionnaires.
func CanReadRevisit(a *counsel.Actor, village string) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return counsel.Within(village, a.RegionCode)
	case counsel.RoleVillage:
		return village == a.RegionCode
	}
	return false
}

// CanSendRevisits reports whether the actor sends revisits (the
// administrator, county bureaus).
func CanSendRevisits(a *counsel.Actor) bool { return IsAdmin(a) || CountyBureau(a) }

// CanWriteWork reports whether the actor may change an advisor's matter or
// document: the advisor itself, or the administrator.
func CanWriteWork(a *counsel.Actor, advisorID int64) bool {
	return IsAdmin(a) || a.Role == counsel.RoleAdvisor && a.AdvisorID == advisorID
}

// CanWriteMatter reports whether the actor may change a matter.
func CanWriteMatter(a *counsel.Actor, m *counsel.Matter) bool { return CanWriteWork(a, m.AdvisorID) }

// CanWriteDocument reports whether the actor may change a document.
func CanWriteDocument(a *counsel.Actor, d *counsel.Document) bool {
	return CanWriteWork(a, d.AdvisorID)
}

// CanAddAgreements reports whether the actor may create agreements at all.
func CanAddAgreements(a *counsel.Actor) bool {
	return a.Role == counsel.RoleAdmin || CountyBureau(a) || a.Role == counsel.RoleJudicial
}

// CanFileAgreement reports whether the actor may file (备案) an agreement of
// a village or town: filing is the county bureau's act (and the
// administrator's). A town's judicial office submits agreements (moves them
// to signed) but does not file them; city and province bureaus only read.
func CanFileAgreement(a *counsel.Actor, code string) bool {
	return IsAdmin(a) || CountyBureau(a) && counsel.Within(code, a.RegionCode)
}

// CanManageRegistry reports whether the actor keeps a county's registry
// (providers, imports, village flags, settings).
func CanManageRegistry(a *counsel.Actor) bool {
	return a.Role == counsel.RoleAdmin || CountyBureau(a)
}

// CanEditAdvisor reports whether the actor may change an advisor (an
// advisor changes its own contact details and photo).
func CanEditAdvisor(a *counsel.Actor, adv *counsel.Advisor) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return CountyBureau(a) && adv.CountyCode == a.RegionCode
	case counsel.RoleProvider:
		return adv.ProviderID == a.ProviderID
	case counsel.RoleAdvisor:
		return adv.ID == a.AdvisorID
	}
	return false
}

// RegionalOrAdmin reports whether the actor sees a region's pages: the
// administrator, or a bureau, office or village with a region scope.
func RegionalOrAdmin(a *counsel.Actor) bool { return IsAdmin(a) || Regional(a) }

// CanSetSecurityPolicy reports whether the actor may change the password,
// lockout and second-factor policy.
func CanSetSecurityPolicy(a *counsel.Actor) bool { return IsAdmin(a) }

// CanKeepHolidays reports whether the actor keeps the holiday table (adds a
// year's official arrangement): the administrator only, since the table is
// the whole installation's.
func CanKeepHolidays(a *counsel.Actor) bool { return IsAdmin(a) }

// CanSetPolicy reports whether the actor sets the duty rules of region: the
// administrator anywhere, a county bureau in its county.
func CanSetPolicy(a *counsel.Actor, region string) bool {
	return IsAdmin(a) || CountyBureau(a) && counsel.ValidCode(region) && counsel.Within(region, a.RegionCode)
}

// CanSetSubsidyStandard reports whether the actor may set a jurisdiction's
// subsidy standard (R39): the administrator anywhere, a bureau its own
// province, city or county (a province or city raises the floor; a county
// sets its own amounts above it).
func CanSetSubsidyStandard(a *counsel.Actor, code string) bool {
	return IsAdmin(a) || a.Role == counsel.RoleBureau && a.RegionCode != "" && code == a.RegionCode
}

// CanReadMoney reports whether the actor has the money pages at all
// (standards, deduction rules, settlements): the administrator and bureaus.
// A finance bureau sees only its payment lists (CanReadPayList).
func CanReadMoney(a *counsel.Actor) bool { return IsAdmin(a) || a.Role == counsel.RoleBureau }

// CanSettle reports whether the actor may keep a county's deduction rules
// and run, review, lock, sign off and correct its settlements: the county
// bureau and the administrator.
func CanSettle(a *counsel.Actor, county string) bool {
	return IsAdmin(a) || CountyBureau(a) && a.RegionCode == county
}

// CanReadSettlement reports whether the actor may see a county's
// settlement: the administrator, the county bureau and the bureaus above it.
func CanReadSettlement(a *counsel.Actor, county string) bool {
	return IsAdmin(a) || a.Role == counsel.RoleBureau && counsel.Within(county, a.RegionCode)
}

// CanReadPayList reports whether the actor may see a payer's payment list of
// a county's settlement: whoever may read the settlement, and a finance
// bureau its own list (the payer is its region) once the settlement is
// locked.
func CanReadPayList(a *counsel.Actor, county, payer string, locked bool) bool {
	if a.Role == counsel.RoleFinance {
		return locked && a.RegionCode != "" && payer == a.RegionCode
	}
	return CanReadSettlement(a, county)
}
