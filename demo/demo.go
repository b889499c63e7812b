// Package demo loads the demonstration data set: the real divisions of
// 庆阳市正宁县 (621025) and 芜湖市镜湖区 (340202) from the embedded extract,
// with generated providers, advisors, agreements, legal-literate persons,
// pairings and one account for every role in both counties.
package demo

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// County describes one demo county.
type County struct {
	Code   string // 12 digits
	Prefix string // username prefix
	Name   string
	City   string // the city's 12-digit code (a read-only city bureau account)
}

// Counties are the two demo counties.
var Counties = []County{
	{Code: "621025000000", Prefix: "zn", Name: "正宁县", City: "621000000000"},
	{Code: "340202000000", Prefix: "jh", Name: "镜湖区", City: "340200000000"},
}

// Account is a demo login.
type Account struct {
	Username string
	Role     string
	Scope    string // what it sees, in words
}

// LoadRegions loads the embedded division extract.
func LoadRegions(ctx context.Context, db *store.DB) (int, error) {
	rs, err := division.Load(division.Extract(), nil)
	if err != nil {
		return 0, err
	}
	return len(rs), db.WithTx(ctx, func(tx *store.Tx) error { return registry.UpsertRegions(ctx, tx, rs) })
}

var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
	given    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "华", "建国", "志强", "海燕", "文", "斌", "宁", "红", "晓东", "玉兰", "国庆", "春梅", "卫东", "立新"}
	firms    = []string{"正义", "明德", "公信", "天平", "诚和", "法正", "金石", "恒信", "中衡", "同心"}
)

// Load fills an empty database with the demo data and returns the accounts.
// Every account gets password pw.
func Load(ctx context.Context, svc *registry.Service, pw string) ([]Account, error) {
	if _, err := LoadRegions(ctx, svc.DB); err != nil {
		return nil, fmt.Errorf("demo regions: %w", err)
	}
	rng := rand.New(rand.NewPCG(2024, 331))
	var accounts []Account
	admin := &counsel.User{Username: "admin", DisplayName: "系统管理员", Role: counsel.RoleAdmin}
	if err := account.NewService(svc).CreateUser(ctx, counsel.System, admin, pw); err != nil {
		return nil, err
	}
	accounts = append(accounts, Account{"admin", counsel.RoleAdmin, "全部"})
	for ci, c := range Counties {
		acc, err := loadCounty(ctx, svc, rng, ci, c, pw)
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", c.Name, err)
		}
		accounts = append(accounts, acc...)
	}
	if err := loadLedger(ctx, svc, rng); err != nil {
		return nil, fmt.Errorf("demo ledger: %w", err)
	}
	if err := loadOffices(ctx, svc); err != nil {
		return nil, fmt.Errorf("demo offices: %w", err)
	}
	return accounts, nil
}

func name(rng *rand.Rand) string {
	return string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
}

func mobile(rng *rand.Rand) string {
	prefixes := []string{"133", "135", "137", "138", "139", "150", "151", "158", "177", "180", "186", "189"}
	return prefixes[rng.IntN(len(prefixes))] + fmt.Sprintf("%08d", rng.IntN(100000000))
}

// creditCode generates a valid unified social credit code for a county.
func creditCode(rng *rand.Rand, county string, kind string) string {
	head := "31" // law firm (司法行政机关 登记管理部门 3, 律师事务所 1)
	if kind == counsel.ProviderServiceOffice {
		head = "39"
	} else if kind == counsel.ProviderJudicialOffice || kind == counsel.ProviderLegalAid {
		head = "11"
	}
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte(head + county[:6])
	for len(b) < 17 {
		b = append(b, chars[rng.IntN(len(chars))])
	}
	return string(b) + string(counsel.CreditCheckChar(string(b)))
}

func licence(rng *rand.Rand, county string) string {
	return "1" + county[:4] + "2015" + "1" + fmt.Sprint(rng.IntN(2)) + fmt.Sprintf("%06d", rng.IntN(1000000))
}

func loadCounty(ctx context.Context, svc *registry.Service, rng *rand.Rand, ci int, c County, pw string) ([]Account, error) {
	a := counsel.System
	towns, err := registry.Children(ctx, svc.DB, c.Code)
	if err != nil {
		return nil, err
	}
	villages, err := registry.Villages(ctx, svc.DB, c.Code)
	if err != nil {
		return nil, err
	}
	shortCounty := strings.TrimSuffix(strings.TrimSuffix(c.Name, "县"), "区")
	// Providers: law firms, a legal service office per few towns, the legal aid centre.
	var providers []*counsel.Provider
	for i := 0; i < 5; i++ {
		p := &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: fmt.Sprintf("甘肃%s%s律师事务所", firms[(i+ci*5)%len(firms)], ""), CountyCode: c.Code}
		if ci == 1 {
			p.Name = fmt.Sprintf("安徽%s律师事务所", firms[(i+5)%len(firms)])
		}
		providers = append(providers, p)
	}
	providers = append(providers,
		&counsel.Provider{Kind: counsel.ProviderServiceOffice, Name: shortCounty + "城关法律服务所", CountyCode: c.Code},
		&counsel.Provider{Kind: counsel.ProviderLegalAid, Name: c.Name + "法律援助中心", CountyCode: c.Code})
	for _, p := range providers {
		p.CreditCode = creditCode(rng, c.Code, p.Kind)
		p.Phone = fmt.Sprintf("0%s-%d", map[int]string{0: "934", 1: "553"}[ci], 5000000+rng.IntN(4000000))
		p.Address = c.Name + "人民路" + fmt.Sprint(1+rng.IntN(300)) + "号"
		if err := svc.SaveProvider(ctx, a, p); err != nil {
			return nil, err
		}
	}
	// Advisors: enough that each serves at most 4 villages.
	nAdv := len(villages)/4 + 3
	var advisors []*counsel.Advisor
	for i := 0; i < nAdv; i++ {
		p := providers[i%len(providers)]
		kind := counsel.AdvisorLawyer
		switch p.Kind {
		case counsel.ProviderServiceOffice:
			kind = counsel.AdvisorGrassroots
		case counsel.ProviderLegalAid:
			kind = counsel.AdvisorPublicLawyer
		}
		adv := &counsel.Advisor{ProviderID: p.ID, Kind: kind, Name: name(rng), Gender: []string{"m", "f"}[rng.IntN(2)],
			Phone: mobile(rng), Active: true}
		adv.WeChat = "wx_" + fmt.Sprintf("%s%03d", c.Prefix, i)
		if kind == counsel.AdvisorGrassroots {
			adv.LicenceNo = fmt.Sprintf("3%s%07d", c.Code[:4], rng.IntN(10000000))
		} else {
			adv.LicenceNo = licence(rng, c.Code)
		}
		home := villages[rng.IntN(len(villages))]
		adv.HomeCode = home.Code
		if err := svc.SaveAdvisor(ctx, a, adv); err != nil {
			return nil, err
		}
		advisors = append(advisors, adv)
	}
	// Agreements for 2026: most filed on time, a few filed late, some only
	// signed (late: the 31 March deadline has passed), a few drafts, and about
	// one village in twelve without any (uncovered).
	advOf := map[string]*counsel.Advisor{}
	for i, v := range villages {
		if i%12 == 11 {
			continue
		}
		adv := advisors[i/4]
		g := &counsel.Agreement{ProviderID: adv.ProviderID, AdvisorID: adv.ID, RegionCode: v.Code, StartDate: "2026-01-01", EndDate: "2026-12-31", SubsidyFen: 500000}
		switch {
		case i%10 == 3:
			g.Status, g.SignedOn = counsel.AgreementSigned, "2026-02-20"
		case i%17 == 5:
			g.Status = counsel.AgreementDraft
		case i%9 == 4:
			g.Status, g.SignedOn, g.FiledOn = counsel.AgreementFiled, "2026-03-10", "2026-04-15"
		default:
			g.Status, g.SignedOn, g.FiledOn = counsel.AgreementFiled, "2026-01-05", fmt.Sprintf("2026-03-%02d", 1+rng.IntN(28))
		}
		if err := svc.SaveAgreement(ctx, a, g); err != nil {
			return nil, fmt.Errorf("agreement %s: %w", v.Name, err)
		}
		advOf[v.Code] = adv
	}
	// Legal-literate persons and 1+N pairings.
	positions := []struct {
		pos       string
		committee bool
	}{{"党支部书记", true}, {"村委会主任", true}, {"村委委员", true}, {"妇联主席", true}, {"网格员", false}, {"村民代表", false}, {"人民调解员", false}}
	pn := pairing.NewService(svc) // the 1+N rules (internal/pairing)
	for i, v := range villages {
		n := 3 + rng.IntN(4)
		for j := 0; j < n; j++ {
			pp := positions[(j+i)%len(positions)]
			pos := pp.pos
			if v.Kind == counsel.KindCommunity {
				pos = strings.NewReplacer("村委会", "居委会", "村委", "居委", "村民", "居民").Replace(pos)
			}
			p := &counsel.Person{VillageCode: v.Code, Name: name(rng), Gender: []string{"m", "f"}[rng.IntN(2)], Position: pos, Committee: pp.committee, Phone: mobile(rng), Training: "2026年县级法律明白人示范培训班"}
			if err := pn.SavePerson(ctx, a, p); err != nil {
				return nil, fmt.Errorf("person in %s: %w", v.Name, err)
			}
			adv := advOf[v.Code]
			if adv == nil || i%7 == 6 || (i%5 == 2 && j >= 2) {
				continue // not yet paired, or only partly (rule not met)
			}
			q := &counsel.Pairing{AdvisorID: adv.ID, PersonID: p.ID, PairedOn: fmt.Sprintf("2026-%02d-%02d", 3+rng.IntN(3), 1+rng.IntN(28))}
			if err := pn.SavePairing(ctx, a, q); err != nil {
				return nil, fmt.Errorf("pairing in %s: %w", v.Name, err)
			}
			if j == 0 {
				act := &counsel.Activity{PairingID: q.ID, Kind: counsel.DutyKinds[rng.IntN(len(counsel.DutyKinds))], Date: "2026-06-18", Note: "与法律顾问共同开展民法典进村宣讲"}
				if err := pn.AddActivity(ctx, a, act); err != nil {
					return nil, err
				}
			}
		}
	}
	// Accounts for every role.
	firstVillage := villages[0]
	town := towns[0]
	accounts := []struct {
		u     counsel.User
		scope string
	}{
		{counsel.User{Username: c.Prefix + "-bureau", DisplayName: c.Name + "司法局", Role: counsel.RoleBureau, RegionCode: c.Code}, c.Name},
		{counsel.User{Username: c.Prefix + "-city", DisplayName: "市司法局(只读)", Role: counsel.RoleBureau, RegionCode: c.City}, "全市(只读)"},
		{counsel.User{Username: c.Prefix + "-judicial", DisplayName: town.Name + "司法所", Role: counsel.RoleJudicial, RegionCode: town.Code}, town.Name},
		{counsel.User{Username: c.Prefix + "-provider", DisplayName: providers[0].Name, Role: counsel.RoleProvider, ProviderID: providers[0].ID}, providers[0].Name},
		{counsel.User{Username: c.Prefix + "-advisor", DisplayName: advisors[0].Name, Role: counsel.RoleAdvisor, AdvisorID: advisors[0].ID}, advisors[0].Name},
		{counsel.User{Username: c.Prefix + "-village", DisplayName: firstVillage.Name, Role: counsel.RoleVillage, RegionCode: firstVillage.Code}, firstVillage.Name},
	}
	var out []Account
	for _, acc := range accounts {
		u := acc.u
		if err := account.NewService(svc).CreateUser(ctx, a, &u, pw); err != nil {
			return nil, fmt.Errorf("account %s: %w", u.Username, err)
		}
		out = append(out, Account{u.Username, u.Role, acc.scope})
	}
	if ci == 1 {
		// Jinghu's 1+N deadline from seed 000: end of June 2024.
		set := counsel.DefaultSettings()
		set.PairingDeadline = "2024-06-30"
		if err := svc.SaveSettings(ctx, a, c.Code, set); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RandomPassword makes a password for the demo accounts when none is set.
func RandomPassword() string {
	b := make([]byte, 9)
	if _, err := cryptorand.Read(b); err != nil {
		panic(err)
	}
	return "vc-" + base64.RawURLEncoding.EncodeToString(b)
}

// loadOffices gives every demo town's judicial office a supervision phone
// (numbered, not drawn from rng, so the rest of the demo stays the same).
func loadOffices(ctx context.Context, svc *registry.Service) error {
	pub := public.NewService(svc)
	for ci, c := range Counties {
		towns, err := registry.Children(ctx, svc.DB, c.Code)
		if err != nil {
			return err
		}
		for i, t := range towns {
			o := &public.Office{TownCode: t.Code, Name: t.Name + "司法所", Phone: fmt.Sprintf("0%s-52%05d", map[int]string{0: "934", 1: "553"}[ci], 11000+i)}
			if err := pub.SaveOffice(ctx, counsel.System, o); err != nil {
				return err
			}
		}
	}
	return nil
}
