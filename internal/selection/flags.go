package selection

import (
	"context"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/store"
)

// Thresholds of the anomaly flags: each is a reason to look, not a verdict;
// the bureau reviews and voids with a published reason.
const (
	BurstBallots    = 20      // ballots from one address …
	BurstWindowMS   = 600_000 // … within ten minutes
	SubnetBallots   = 200     // ballots from one /24 (IPv4) or /48 (IPv6) in a day
	DeviceVoters    = 3       // phones voting from one device in a day
	IPVoters        = 10      // phones voting from one address in a day
	RegularBallots  = 10      // ballots from one address needed to judge regularity
	RegularJitterMS = 1000    // intervals all within this of their mean look scripted
)

// Anomalies finds the flags of one day's ballots (pure).
func Anomalies(bs []Ballot) []Flag {
	var out []Flag
	byIP, bySubnet, devVoters, ipVoters := map[string][]Ballot{}, map[string][]Ballot{}, map[string]map[int64]bool{}, map[string]map[int64]bool{}
	for _, b := range bs {
		byIP[b.IP] = append(byIP[b.IP], b)
		bySubnet[subnet(b.IP)] = append(bySubnet[subnet(b.IP)], b)
		if devVoters[b.Device] == nil {
			devVoters[b.Device] = map[int64]bool{}
		}
		devVoters[b.Device][b.VoterID] = true
		if ipVoters[b.IP] == nil {
			ipVoters[b.IP] = map[int64]bool{}
		}
		ipVoters[b.IP][b.VoterID] = true
	}
	flag := func(kind, subject string, list []Ballot) {
		ids := make([]string, 0, len(list))
		for _, b := range list {
			ids = append(ids, strconv.FormatInt(b.ID, 10))
		}
		day := ""
		if len(list) > 0 {
			day = list[0].Day
		}
		out = append(out, Flag{Kind: kind, Subject: subject, Ballots: len(list), Detail: strings.Join(ids, ","), Day: day})
	}
	for _, ip := range sortedKeys(byIP) {
		list := byIP[ip]
		sort.Slice(list, func(i, j int) bool { return list[i].CastAt < list[j].CastAt })
		// Burst: any window of BurstWindowMS holding more than BurstBallots.
		for i, j := 0, 0; j < len(list); j++ {
			for list[j].CastAt-list[i].CastAt > BurstWindowMS {
				i++
			}
			if j-i+1 > BurstBallots {
				flag(FlagIPBurst, ip, list)
				break
			}
		}
		if len(ipVoters[ip]) > IPVoters {
			flag(FlagCountsIP, ip, list)
		}
		if len(list) >= RegularBallots && regular(list) {
			flag(FlagRegular, ip, list)
		}
	}
	for _, sn := range sortedKeys(bySubnet) {
		if len(bySubnet[sn]) > SubnetBallots {
			flag(FlagSubnet, sn, bySubnet[sn])
		}
	}
	for _, dev := range sortedKeys(devVoters) {
		if dev != "" && len(devVoters[dev]) > DeviceVoters {
			var list []Ballot
			for _, b := range bs {
				if b.Device == dev {
					list = append(list, b)
				}
			}
			flag(FlagDevice, dev, list)
		}
	}
	return out
}

// regular reports whether ballots (by time) came at near-constant intervals.
func regular(list []Ballot) bool {
	n := len(list) - 1
	if n < 2 {
		return false
	}
	span := list[n].CastAt - list[0].CastAt
	mean := span / int64(n)
	if mean <= 0 {
		return true // all at once
	}
	for i := 1; i <= n; i++ {
		d := list[i].CastAt - list[i-1].CastAt - mean
		if d < -RegularJitterMS || d > RegularJitterMS {
			return false
		}
	}
	return true
}

// subnet is the /24 of an IPv4 address or the /48 of an IPv6 one.
func subnet(ip string) string {
	p := net.ParseIP(ip)
	if p == nil {
		return ip
	}
	if v4 := p.To4(); v4 != nil {
		return (&net.IPNet{IP: v4.Mask(net.CIDRMask(24, 32)), Mask: net.CIDRMask(24, 32)}).String()
	}
	return (&net.IPNet{IP: p.Mask(net.CIDRMask(48, 128)), Mask: net.CIDRMask(48, 128)}).String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ScanFlags records the anomalies of a stage's day (once per kind and
// subject) and returns the stage's flags.
func (s *Service) ScanFlags(ctx context.Context, campaignID int64, stage, day string) ([]Flag, error) {
	bs, err := ballotsOfDay(ctx, s.DB, campaignID, stage, day)
	if err != nil {
		return nil, err
	}
	fs := Anomalies(bs)
	if len(fs) > 0 {
		now := s.Now().UnixMilli()
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			for _, f := range fs {
				if _, err := tx.Exec(ctx, `INSERT INTO sel_flags (campaign_id, stage, day, kind, subject, ballots, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (campaign_id, stage, day, kind, subject) DO UPDATE SET ballots = excluded.ballots, detail = excluded.detail`,
					campaignID, stage, day, f.Kind, f.Subject, f.Ballots, f.Detail, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return Flags(ctx, s.DB, campaignID, stage)
}
