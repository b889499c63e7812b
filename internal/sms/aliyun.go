package sms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AliyunEndpoint is Alibaba Cloud SMS's endpoint.
const AliyunEndpoint = "https://dysmsapi.aliyuncs.com/"

// Aliyun sends through Alibaba Cloud SMS (dysmsapi SendSms, version
// 2017-05-25), signing each request with the RPC signature: the parameters
// sorted by name, each name and value percent-encoded (RFC 3986: space as
// %20, * as %2A, ~ kept), joined with & into the canonical query;
// StringToSign = "GET&%2F&" + percentEncode(canonical query); Signature =
// Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
type Aliyun struct {
	AccessKeyID, AccessKeySecret string
	SignName                     string // 短信签名
	TemplateCode                 string // a template with the variable ${code}
	RegionID                     string // default cn-hangzhou
	Endpoint                     string // default AliyunEndpoint; a fake in tests
	Client                       *http.Client
	Now                          func() time.Time
}

// Name is "aliyun".
func (a *Aliyun) Name() string { return "aliyun" }

// Send sends the code.
func (a *Aliyun) Send(ctx context.Context, phone, code string) error {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	region := a.RegionID
	if region == "" {
		region = "cn-hangzhou"
	}
	tp, _ := json.Marshal(map[string]string{"code": code})
	p := map[string]string{
		"AccessKeyId":      a.AccessKeyID,
		"Action":           "SendSms",
		"Format":           "JSON",
		"RegionId":         region,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   nonce(),
		"SignatureVersion": "1.0",
		"Timestamp":        now().UTC().Format("2006-01-02T15:04:05Z"),
		"Version":          "2017-05-25",
		"PhoneNumbers":     phone,
		"SignName":         a.SignName,
		"TemplateCode":     a.TemplateCode,
		"TemplateParam":    string(tp),
	}
	sig := AliyunSign(http.MethodGet, p, a.AccessKeySecret)
	q := "Signature=" + PercentEncode(sig) + "&" + aliyunCanonical(p)
	ep := a.Endpoint
	if ep == "" {
		ep = AliyunEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep+"?"+q, nil)
	if err != nil {
		return fmt.Errorf("sms aliyun: %w", err)
	}
	res, err := client(a.Client).Do(req)
	if err != nil {
		return fmt.Errorf("sms aliyun: %w", err)
	}
	defer res.Body.Close()
	var out struct{ Code, Message, RequestId, BizId string }
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if err := json.Unmarshal(body, &out); err != nil {
		return fmt.Errorf("sms aliyun: status %d: %w", res.StatusCode, err)
	}
	if res.StatusCode != http.StatusOK || out.Code != "OK" {
		return fmt.Errorf("%w: aliyun %s %s (request %s)", ErrRejected, out.Code, out.Message, out.RequestId)
	}
	return nil
}

// AliyunSign is the RPC signature of the parameters (without Signature).
func AliyunSign(method string, params map[string]string, secret string) string {
	sts := method + "&" + PercentEncode("/") + "&" + PercentEncode(aliyunCanonical(params))
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// aliyunCanonical is the sorted, encoded query of the parameters.
func aliyunCanonical(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = PercentEncode(k) + "=" + PercentEncode(params[k])
	}
	return strings.Join(parts, "&")
}

// PercentEncode is Alibaba Cloud's encoding: UTF-8, RFC 3986 unreserved
// characters (A–Z a–z 0–9 - _ . ~) kept, everything else %XX upper case.
func PercentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	e = strings.ReplaceAll(e, "%7E", "~")
	return e
}

func nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 10 * time.Second}
}
