// Package sms sends one-time codes by text message through the services
// Chinese government sites use: Alibaba Cloud SMS (dysmsapi, RPC signature
// HMAC-SHA1) and Tencent Cloud SMS (API 3.0, TC3-HMAC-SHA256), and a log
// sender for the demo. A code is never logged whole, nor a phone number.
package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// Sender sends a one-time code to a phone number (11 digits, mainland).
type Sender interface {
	// Send delivers code to phone; an error means the message was not
	// accepted by the service.
	Send(ctx context.Context, phone, code string) error
	// Name names the sender for the logs ("aliyun", "tencent", "log").
	Name() string
}

// ErrRejected is wrapped by the adapters when the service answered but
// refused the message (bad signature, template, quota…).
var ErrRejected = errors.New("sms: rejected by the service")

// MaskPhone shows a phone number as 138****1111.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// MaskCode shows a code's first digit only: 1*****.
func MaskCode(c string) string {
	if c == "" {
		return ""
	}
	return c[:1] + strings.Repeat("*", len(c)-1)
}

// Log is the demo sender: it logs that a code went out (phone and code
// masked) and keeps the last code per phone in memory, so that the demo's
// vote page can show it to whoever asked for it (Peek). Never for
// production: the code is shown on the page.
type Log struct {
	Log  *slog.Logger
	mu   sync.Mutex
	last map[string]string
}

// NewLog makes a demo sender.
func NewLog(log *slog.Logger) *Log { return &Log{Log: log, last: map[string]string{}} }

// Name is "log".
func (l *Log) Name() string { return "log" }

// Send logs the masked message and keeps the code.
func (l *Log) Send(_ context.Context, phone, code string) error {
	l.mu.Lock()
	l.last[phone] = code
	l.mu.Unlock()
	if l.Log != nil {
		l.Log.Info("sms code (demo sender)", "phone", MaskPhone(phone), "code", MaskCode(code))
	}
	return nil
}

// Peek returns the last code sent to phone (demo only).
func (l *Log) Peek(phone string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last[phone]
}

// Env names the environment variables that choose and configure the sender.
const (
	EnvSender = "COUNSEL_SMS" // aliyun, tencent or log (default)
	// Alibaba Cloud
	EnvAliyunKeyID    = "COUNSEL_SMS_ALIYUN_KEY_ID"
	EnvAliyunSecret   = "COUNSEL_SMS_ALIYUN_SECRET"
	EnvAliyunSign     = "COUNSEL_SMS_ALIYUN_SIGN"     // 短信签名
	EnvAliyunTemplate = "COUNSEL_SMS_ALIYUN_TEMPLATE" // SMS_xxxxxx with ${code}
	// Tencent Cloud
	EnvTencentID       = "COUNSEL_SMS_TENCENT_SECRET_ID"
	EnvTencentKey      = "COUNSEL_SMS_TENCENT_SECRET_KEY"
	EnvTencentApp      = "COUNSEL_SMS_TENCENT_APP_ID" // SmsSdkAppId
	EnvTencentSign     = "COUNSEL_SMS_TENCENT_SIGN"
	EnvTencentTemplate = "COUNSEL_SMS_TENCENT_TEMPLATE"
)

// FromEnv builds the sender the environment names; the demo sender when
// none is named. A named service with a missing setting is an error.
func FromEnv(log *slog.Logger) (Sender, error) {
	get := func(k string) string { return strings.TrimSpace(os.Getenv(k)) }
	switch get(EnvSender) {
	case "", "log":
		return NewLog(log), nil
	case "aliyun":
		a := &Aliyun{AccessKeyID: get(EnvAliyunKeyID), AccessKeySecret: get(EnvAliyunSecret), SignName: get(EnvAliyunSign), TemplateCode: get(EnvAliyunTemplate)}
		if a.AccessKeyID == "" || a.AccessKeySecret == "" || a.SignName == "" || a.TemplateCode == "" {
			return nil, fmt.Errorf("sms: aliyun needs %s, %s, %s and %s", EnvAliyunKeyID, EnvAliyunSecret, EnvAliyunSign, EnvAliyunTemplate)
		}
		return a, nil
	case "tencent":
		t := &Tencent{SecretID: get(EnvTencentID), SecretKey: get(EnvTencentKey), SdkAppID: get(EnvTencentApp), SignName: get(EnvTencentSign), TemplateID: get(EnvTencentTemplate)}
		if t.SecretID == "" || t.SecretKey == "" || t.SdkAppID == "" || t.SignName == "" || t.TemplateID == "" {
			return nil, fmt.Errorf("sms: tencent needs %s, %s, %s, %s and %s", EnvTencentID, EnvTencentKey, EnvTencentApp, EnvTencentSign, EnvTencentTemplate)
		}
		return t, nil
	default:
		return nil, fmt.Errorf("sms: unknown sender %q in %s (aliyun, tencent, log)", get(EnvSender), EnvSender)
	}
}
