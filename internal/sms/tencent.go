package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TencentHost is Tencent Cloud SMS's API host.
const TencentHost = "sms.tencentcloudapi.com"

// Tencent sends through Tencent Cloud SMS (API 3.0 SendSms, version
// 2021-01-11), signing each request with TC3-HMAC-SHA256: the canonical
// request (method, "/", empty query, the signed headers lower-cased, their
// names, the hex SHA-256 of the body) hashed into StringToSign =
// "TC3-HMAC-SHA256\n" + timestamp + "\n" + date/sms/tc3_request + "\n" +
// hash; the key derived as HMAC-SHA256 of the date, the service and
// "tc3_request" starting from "TC3" + SecretKey.
type Tencent struct {
	SecretID, SecretKey string
	SdkAppID            string
	SignName            string
	TemplateID          string // a template whose first parameter is the code
	Region              string // default ap-guangzhou
	Endpoint            string // default https://sms.tencentcloudapi.com/; a fake in tests
	Client              *http.Client
	Now                 func() time.Time
}

// Name is "tencent".
func (t *Tencent) Name() string { return "tencent" }

// tencentContentType is the body's content type, signed as a header.
const tencentContentType = "application/json; charset=utf-8"

// Send sends the code.
func (t *Tencent) Send(ctx context.Context, phone, code string) error {
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	region := t.Region
	if region == "" {
		region = "ap-guangzhou"
	}
	ep := t.Endpoint
	if ep == "" {
		ep = "https://" + TencentHost + "/"
	}
	payload, _ := json.Marshal(map[string]any{
		"PhoneNumberSet":   []string{"+86" + phone},
		"SmsSdkAppId":      t.SdkAppID,
		"SignName":         t.SignName,
		"TemplateId":       t.TemplateID,
		"TemplateParamSet": []string{code},
	})
	ts := now().Unix()
	headers := map[string]string{"content-type": tencentContentType, "host": TencentHost, "x-tc-action": "SendSms"}
	auth := TC3Authorization(t.SecretID, t.SecretKey, "sms", ts, headers, payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("sms tencent: %w", err)
	}
	req.Host = TencentHost
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", tencentContentType)
	req.Header.Set("X-TC-Action", "SendSms")
	req.Header.Set("X-TC-Version", "2021-01-11")
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-TC-Region", region)
	res, err := client(t.Client).Do(req)
	if err != nil {
		return fmt.Errorf("sms tencent: %w", err)
	}
	defer res.Body.Close()
	var out struct {
		Response struct {
			Error *struct {
				Code, Message string
			}
			SendStatusSet []struct{ Code, Message, PhoneNumber string }
			RequestId     string
		}
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	if err := json.Unmarshal(body, &out); err != nil {
		return fmt.Errorf("sms tencent: status %d: %w", res.StatusCode, err)
	}
	r := out.Response
	if r.Error != nil {
		return fmt.Errorf("%w: tencent %s %s (request %s)", ErrRejected, r.Error.Code, r.Error.Message, r.RequestId)
	}
	if len(r.SendStatusSet) != 1 || r.SendStatusSet[0].Code != "Ok" {
		return fmt.Errorf("%w: tencent send status %+v (request %s)", ErrRejected, r.SendStatusSet, r.RequestId)
	}
	return nil
}

// TC3Authorization is the Authorization header of a POST to "/" with the
// given headers signed (names and values lower-cased in the canonical
// request, as the current documentation says) and body.
func TC3Authorization(secretID, secretKey, service string, ts int64, headers map[string]string, body []byte) string {
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	var ch strings.Builder
	for _, k := range names {
		ch.WriteString(k + ":" + strings.ToLower(strings.TrimSpace(value(headers, k))) + "\n")
	}
	signed := strings.Join(names, ";")
	canonical := "POST\n/\n\n" + ch.String() + "\n" + signed + "\n" + sha256Hex(body)
	scope := date + "/" + service + "/tc3_request"
	sts := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	sig := hex.EncodeToString(hmacSHA256(k, sts))
	return "TC3-HMAC-SHA256 Credential=" + secretID + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + sig
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// value is a header's value by its lower-case name.
func value(headers map[string]string, lower string) string {
	for k, v := range headers {
		if strings.ToLower(k) == lower {
			return v
		}
	}
	return ""
}
