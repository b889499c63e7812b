package sms_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/internal/sms/smsfake"
)

// Alibaba Cloud's documented example (签名机制, DescribeRegions, testsecret).
func TestAliyunDocumentedVector(t *testing.T) {
	p := map[string]string{"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
		"SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
	if got := sms.AliyunSign("GET", p, "testsecret"); got != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("got %s, want OLeaidS1JvxuMvnyHOwuJ+uX5qY=", got)
	}
	for in, want := range map[string]string{"a b*c~d": "a%20b%2Ac~d", "2016-02-23T12:46:24Z": "2016-02-23T12%3A46%3A24Z", "{\"code\":\"1\"}": "%7B%22code%22%3A%221%22%7D", "签": "%E7%AD%BE"} {
		if got := sms.PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// Tencent Cloud's documented example (签名方法 v3, DescribeInstances at 1551113065).
func TestTencentDocumentedVector(t *testing.T) {
	body := []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`)
	got := sms.TC3Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065,
		map[string]string{"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}, body)
	want := "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestAliyunThroughFake(t *testing.T) {
	f := smsfake.Aliyun("LTAIid", "s3cret")
	defer f.Close()
	a := &sms.Aliyun{AccessKeyID: "LTAIid", AccessKeySecret: "s3cret", SignName: "某某司法局", TemplateCode: "SMS_123", Endpoint: f.URL + "/"}
	if err := a.Send(context.Background(), "13800001111", "482913"); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := f.Last("13800001111"); got != "482913" {
		t.Errorf("fake got code %q, want 482913", got)
	}
	bad := *a
	bad.AccessKeySecret = "wrong"
	err := bad.Send(context.Background(), "13800001111", "111111")
	if !errors.Is(err, sms.ErrRejected) || !strings.Contains(err.Error(), "SignatureDoesNotMatch") || f.Rejected() != 1 {
		t.Errorf("wrong secret: %v (rejected %d), want SignatureDoesNotMatch", err, f.Rejected())
	}
	late := *a
	late.Now = func() time.Time { return time.Now().Add(-time.Hour) }
	if err := late.Send(context.Background(), "13800001111", "111111"); err == nil || !strings.Contains(err.Error(), "InvalidTimeStamp") {
		t.Errorf("an hour-old timestamp: %v", err)
	}
	if n := len(f.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1", n)
	}
}

func TestTencentThroughFake(t *testing.T) {
	f := smsfake.Tencent("AKIDtest", "tkey")
	defer f.Close()
	tc := &sms.Tencent{SecretID: "AKIDtest", SecretKey: "tkey", SdkAppID: "1400000000", SignName: "某某司法局", TemplateID: "100001", Endpoint: f.URL + "/"}
	if err := tc.Send(context.Background(), "13800002222", "902114"); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := f.Last("13800002222"); got != "902114" {
		t.Errorf("fake got %q, want 902114", got)
	}
	bad := *tc
	bad.SecretKey = "nope"
	err := bad.Send(context.Background(), "13800002222", "111111")
	if !errors.Is(err, sms.ErrRejected) || !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
		t.Errorf("wrong key: %v, want AuthFailure.SignatureFailure", err)
	}
	late := *tc
	late.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	if err := late.Send(context.Background(), "13800002222", "111111"); err == nil || !strings.Contains(err.Error(), "SignatureExpire") {
		t.Errorf("ten-minute-old timestamp: %v", err)
	}
	if f.Rejected() != 2 || len(f.Messages()) != 1 {
		t.Errorf("rejected %d, accepted %d; want 2 and 1", f.Rejected(), len(f.Messages()))
	}
}

func TestLogSenderMasks(t *testing.T) {
	var buf bytes.Buffer
	l := sms.NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	if err := l.Send(context.Background(), "13812345678", "482913"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "13812345678") || strings.Contains(out, "482913") || !strings.Contains(out, "138****5678") || !strings.Contains(out, "4*****") {
		t.Errorf("log = %q: whole phone or code logged, or mask missing", out)
	}
	if l.Peek("13812345678") != "482913" {
		t.Error("demo sender did not keep the code")
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(sms.EnvSender, "")
	if s, err := sms.FromEnv(nil); err != nil || s.Name() != "log" {
		t.Errorf("default = %v, %v; want log", s, err)
	}
	t.Setenv(sms.EnvSender, "aliyun")
	if _, err := sms.FromEnv(nil); err == nil {
		t.Error("aliyun without keys accepted")
	}
	t.Setenv(sms.EnvAliyunKeyID, "id")
	t.Setenv(sms.EnvAliyunSecret, "s")
	t.Setenv(sms.EnvAliyunSign, "签名")
	t.Setenv(sms.EnvAliyunTemplate, "SMS_1")
	if s, err := sms.FromEnv(nil); err != nil || s.Name() != "aliyun" {
		t.Errorf("aliyun = %v, %v", s, err)
	}
	t.Setenv(sms.EnvSender, "carrier-pigeon")
	if _, err := sms.FromEnv(nil); err == nil {
		t.Error("unknown sender accepted")
	}
}
