// Package smsfake runs local stand-ins for Alibaba Cloud SMS and Tencent
// Cloud SMS for tests: they speak the services' request and answer formats
// and check each request's signature with their own implementation of the
// published algorithms, answering a bad one the way the service does
// (SignatureDoesNotMatch, AuthFailure.SignatureFailure). Messages that pass
// are kept, so a test can read the code a phone was sent.
package smsfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one accepted text: the phone (11 digits) and the code.
type Message struct {
	Phone, Code string
}

// Fake is a running stand-in.
type Fake struct {
	*httptest.Server
	mu       sync.Mutex
	msgs     []Message
	rejected int
	seen     map[string]bool // nonces (Aliyun)
	Now      func() time.Time
}

// Messages returns the accepted messages.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.msgs...)
}

// Rejected is how many requests failed the signature or format checks.
func (f *Fake) Rejected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rejected
}

// Last is the last code sent to phone.
func (f *Fake) Last(phone string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.msgs) - 1; i >= 0; i-- {
		if f.msgs[i].Phone == phone {
			return f.msgs[i].Code
		}
	}
	return ""
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fake) accept(m Message) {
	f.mu.Lock()
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
}

func (f *Fake) reject() {
	f.mu.Lock()
	f.rejected++
	f.mu.Unlock()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Aliyun starts a fake dysmsapi for one AccessKey pair.
func Aliyun(keyID, secret string) *Fake {
	f := &Fake{seen: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(code, msg string) {
			f.reject()
			writeJSON(w, http.StatusBadRequest, map[string]string{"Code": code, "Message": msg, "RequestId": "fake"})
		}
		q := r.URL.Query()
		one := func(k string) string { return q.Get(k) }
		for _, k := range []string{"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "Signature", "PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"} {
			if len(q[k]) != 1 {
				fail("MissingParameter", k)
				return
			}
		}
		if one("AccessKeyId") != keyID {
			fail("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
			return
		}
		if one("Action") != "SendSms" || one("Version") != "2017-05-25" || one("SignatureMethod") != "HMAC-SHA1" || one("SignatureVersion") != "1.0" {
			fail("InvalidParameter", "action, version or signature method")
			return
		}
		ts, err := time.Parse("2006-01-02T15:04:05Z", one("Timestamp"))
		if err != nil || ts.Sub(f.now()).Abs() > 15*time.Minute {
			fail("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
			return
		}
		f.mu.Lock()
		replay := f.seen[one("SignatureNonce")]
		f.seen[one("SignatureNonce")] = true
		f.mu.Unlock()
		if replay {
			fail("SignatureNonceUsed", "Specified signature nonce was used already.")
			return
		}
		// The string to sign, rebuilt from the parameters as received.
		var keys []string
		for k := range q {
			if k != "Signature" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var b strings.Builder
		for i, k := range keys {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(rfc3986(k) + "=" + rfc3986(q.Get(k)))
		}
		sts := r.Method + "&" + rfc3986("/") + "&" + rfc3986(b.String())
		m := hmac.New(sha1.New, []byte(secret+"&"))
		m.Write([]byte(sts))
		if want := base64.StdEncoding.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(want), []byte(one("Signature"))) {
			fail("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:"+sts)
			return
		}
		var tp struct{ Code string }
		if json.Unmarshal([]byte(one("TemplateParam")), &tp) != nil || tp.Code == "" {
			fail("isv.INVALID_JSON_PARAM", "JSON参数不合法")
			return
		}
		f.accept(Message{Phone: one("PhoneNumbers"), Code: tp.Code})
		writeJSON(w, http.StatusOK, map[string]string{"Code": "OK", "Message": "OK", "RequestId": "fake-req", "BizId": "fake-biz"})
	}))
	return f
}

// rfc3986 encodes every byte but A–Z a–z 0–9 - _ . ~ as %XX, upper case.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Tencent starts a fake Tencent Cloud SMS (sms.tencentcloudapi.com) for one
// SecretId/SecretKey pair.
func Tencent(secretID, secretKey string) *Fake {
	f := &Fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(code, msg string) {
			f.reject()
			writeJSON(w, http.StatusOK, map[string]any{"Response": map[string]any{"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": "fake"}})
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if r.Method != http.MethodPost || r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" {
			fail("InvalidAction", "method, action or version")
			return
		}
		ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
		if err != nil || time.Unix(ts, 0).Sub(f.now()).Abs() > 5*time.Minute {
			fail("AuthFailure.SignatureExpire", "Signature expired.")
			return
		}
		// Authorization: TC3-HMAC-SHA256 Credential=ID/DATE/sms/tc3_request, SignedHeaders=a;b, Signature=hex
		auth := r.Header.Get("Authorization")
		rest, ok := strings.CutPrefix(auth, "TC3-HMAC-SHA256 ")
		if !ok {
			fail("AuthFailure.InvalidAuthorization", "algorithm")
			return
		}
		fields := map[string]string{}
		for _, p := range strings.Split(rest, ", ") {
			k, v, _ := strings.Cut(p, "=")
			fields[k] = v
		}
		cred := strings.Split(fields["Credential"], "/")
		date := time.Unix(ts, 0).UTC().Format("2006-01-02")
		if len(cred) != 4 || cred[0] != secretID || cred[1] != date || cred[2] != "sms" || cred[3] != "tc3_request" {
			fail("AuthFailure.SecretIdNotFound", "credential "+fields["Credential"])
			return
		}
		signed := strings.Split(fields["SignedHeaders"], ";")
		if !contains(signed, "content-type") || !contains(signed, "host") {
			fail("AuthFailure.InvalidAuthorization", "content-type and host must be signed")
			return
		}
		var ch strings.Builder
		for _, h := range signed {
			v := r.Header.Get(h)
			if h == "host" {
				v = r.Host
			}
			ch.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
		}
		bh := sha256.Sum256(body)
		canonical := strings.Join([]string{"POST", "/", "", ch.String(), fields["SignedHeaders"], hex.EncodeToString(bh[:])}, "\n")
		ch2 := sha256.Sum256([]byte(canonical))
		sts := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + date + "/sms/tc3_request\n" + hex.EncodeToString(ch2[:])
		key := []byte("TC3" + secretKey)
		for _, part := range []string{date, "sms", "tc3_request"} {
			m := hmac.New(sha256.New, key)
			m.Write([]byte(part))
			key = m.Sum(nil)
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(sts))
		if want := hex.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
			fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
			return
		}
		var in struct {
			PhoneNumberSet                    []string
			SmsSdkAppId, SignName, TemplateId string
			TemplateParamSet                  []string
		}
		if json.Unmarshal(body, &in) != nil || len(in.PhoneNumberSet) != 1 || len(in.TemplateParamSet) != 1 || in.SmsSdkAppId == "" {
			fail("InvalidParameter", "body")
			return
		}
		phone := strings.TrimPrefix(in.PhoneNumberSet[0], "+86")
		f.accept(Message{Phone: phone, Code: in.TemplateParamSet[0]})
		writeJSON(w, http.StatusOK, map[string]any{"Response": map[string]any{
			"SendStatusSet": []map[string]any{{"SerialNo": "fake", "PhoneNumber": in.PhoneNumberSet[0], "Fee": 1, "Code": "Ok", "Message": "send success", "IsoCode": "CN"}},
			"RequestId":     "fake-req"}})
	}))
	return f
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
