package notify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// DefaultWebhookHosts are the hosts of the robots a channel may post to
// unless an administrator adds more (-webhook-hosts / COUNSEL_WEBHOOK_HOSTS).
var DefaultWebhookHosts = []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com"}

// ParseHosts splits a comma- or space-separated list of host names,
// lower-cased, without ports or empty items.
func ParseHosts(s string) []string {
	var out []string
	for _, h := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\t' }) {
		h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
		if h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// errBlockedAddr is the dial error for an address outside the public
// internet (loopback, private, link-local, metadata…).
var errBlockedAddr = errors.New("address not allowed")

// errRedirect refuses every redirect: robots answer directly.
var errRedirect = errors.New("redirect not followed")

// blockedPrefixes are the ranges a webhook never reaches: the robots live on
// the public internet, and anything else turns a channel into a scanner of
// the server's own network.
var blockedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",          // "this network"
		"10.0.0.0/8",         // private
		"100.64.0.0/10",      // carrier-grade NAT
		"127.0.0.0/8",        // loopback
		"169.254.0.0/16",     // link-local, cloud metadata (169.254.169.254)
		"172.16.0.0/12",      // private
		"192.0.0.0/24",       // IETF protocol assignments
		"192.0.2.0/24",       // documentation
		"192.88.99.0/24",     // 6to4 relay
		"192.168.0.0/16",     // private
		"198.18.0.0/15",      // benchmarking
		"198.51.100.0/24",    // documentation
		"203.0.113.0/24",     // documentation
		"224.0.0.0/4",        // multicast
		"240.0.0.0/4",        // reserved, broadcast
		"100.100.100.200/32", // Alibaba Cloud metadata
		"::/128",             // unspecified
		"::1/128",            // loopback
		"64:ff9b::/96",       // NAT64 (may reach IPv4 private ranges)
		"64:ff9b:1::/48",     // local NAT64
		"100::/64",           // discard
		"2001::/23",          // IETF protocol assignments
		"2001:db8::/32",      // documentation
		"2002::/16",          // 6to4 (embeds IPv4)
		"fc00::/7",           // unique local
		"fd00:ec2::254/128",  // AWS metadata over IPv6
		"fe80::/10",          // link-local
		"ff00::/8",           // multicast
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// PublicAddr reports whether a webhook may connect to ip: an address of the
// public internet (IPv4-mapped IPv6 addresses are judged as IPv4).
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// guardControl is the dialer's Control: it runs after name resolution, on
// the very address about to be connected, so a host name that resolves (or
// re-resolves, DNS rebinding) to an inner address is refused.
func guardControl(allow func(netip.Addr) bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return errBlockedAddr
		}
		if PublicAddr(ap.Addr()) || (allow != nil && allow(ap.Addr().Unmap())) {
			return nil
		}
		return errBlockedAddr
	}
}

// webhookClient is the HTTP client robots are posted with: no proxy from the
// environment, no redirects, every connection checked by guardControl.
// allow, for tests only, admits addresses PublicAddr refuses.
func webhookClient(timeout time.Duration, allow func(netip.Addr) bool) *http.Client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: guardControl(allow)}
	tr := &http.Transport{
		Proxy:                 nil, // never HTTP(S)_PROXY: the guard must see the real target
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{
		Timeout:       timeout,
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return errRedirect },
	}
}

// hostAllowed reports whether a webhook URL's host is one of hosts.
func hostAllowed(u *url.URL, hosts []string) bool {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return h != "" && slices.Contains(hosts, h)
}

// classifyNetError names a failed request's cause without repeating the
// target's answer or its address: a fixed set of words an administrator can
// act on.
func classifyNetError(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, errBlockedAddr):
		return "address not allowed (loopback, private or link-local)"
	case errors.Is(err, errRedirect):
		return "redirect not followed"
	case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return "timed out"
	case errors.As(err, &dnsErr):
		return "host name not found"
	case errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET):
		return "connection failed"
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "TLS failed"
	case errors.As(err, &opErr):
		return "connection failed"
	}
	return "request failed"
}
