package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sendError is a delivery failure whose text holds no secret.
type sendError string

func (e sendError) Error() string { return string(e) }

func errSend(format string, args ...any) error { return sendError(fmt.Sprintf(format, args...)) }

// Size limits of a text message's content: WeCom takes at most 2048 bytes;
// DingTalk's limit is larger, 4000 keeps messages readable on a phone.
const (
	wecomMaxBytes    = 2048
	dingtalkMaxBytes = 4000
)

// robotText is the text a robot posts: the tag and title, the message and the
// link (absolute, when a base URL is configured).
func robotText(m *OutboxMessage, opts OutboxOptions, maxBytes int) string {
	var b strings.Builder
	if opts.Tag != "" {
		b.WriteString("【" + opts.Tag + "】")
	}
	b.WriteString(m.Title)
	tail := ""
	if m.Link != "" && opts.BaseURL != "" {
		tail = "\n" + opts.BaseURL + m.Link
	}
	if m.Body != "" {
		b.WriteString("\n" + m.Body)
	}
	text := b.String()
	if len(text)+len(tail) > maxBytes {
		const more = "\n……"
		text = truncate(text, maxBytes-len(tail)-len(more)) + more
	}
	return text + tail
}

// robotBody is the JSON both robots take for a text message.
type robotBody struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// robotReply is both robots' answer; errcode 0 is success.
type robotReply struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// DingTalkSign returns the signature DingTalk checks on a signed robot:
// base64(HMAC-SHA256(key secret, timestamp + "\n" + secret)), timestamp in ms
// (the caller URL-encodes it as a query value).
func DingTalkSign(secret string, timestampMS int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMS, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// sendRobot posts one message to a WeCom or DingTalk robot.
func sendRobot(ctx context.Context, client *http.Client, ch *OutboxChannel, m *OutboxMessage, now time.Time, opts OutboxOptions) error {
	target, err := url.Parse(ch.URL)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return errSend("bad webhook URL %s", MaskURL(ch.URL))
	}
	shown := MaskURL(ch.URL)
	// Channels saved before the host list (or a host since removed from it)
	// are checked again on every send.
	if !hostAllowed(target, opts.Hosts) {
		return errSend("POST %s: host not allowed", shown)
	}
	var body robotBody
	body.MsgType = "text"
	switch ch.Kind {
	case ChannelWeCom:
		body.Text.Content = robotText(m, opts, wecomMaxBytes)
	case ChannelDingTalk:
		body.Text.Content = robotText(m, opts, dingtalkMaxBytes)
		if ch.Secret != "" {
			ts := now.UnixMilli()
			q := target.Query()
			q.Set("timestamp", strconv.FormatInt(ts, 10))
			q.Set("sign", DingTalkSign(ch.Secret, ts))
			target.RawQuery = q.Encode()
		}
	default:
		return errSend("channel kind %q cannot send", ch.Kind)
	}
	if opts.Override != "" {
		if o, err := url.Parse(opts.Override); err == nil && o.Host != "" {
			target.Scheme, target.Host = o.Scheme, o.Host
		}
	}
	js, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(js))
	if err != nil {
		return errSend("POST %s: bad request", shown)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		// Neither the URL (key and signature) nor the cause's text (an
		// address, what the target said) is kept: only its class.
		return errSend("POST %s: %s", shown, classifyNetError(err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return errSend("POST %s: redirect not followed", shown)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return errSend("POST %s: HTTP %d", shown, resp.StatusCode)
	}
	var reply robotReply
	if err := json.Unmarshal(raw, &reply); err != nil || reply.ErrCode == nil {
		return errSend("POST %s: answer is not a robot reply", shown)
	}
	if *reply.ErrCode != 0 {
		// errmsg is the target's text: never shown; the code names the cause.
		return errSend("POST %s: errcode %d (%s)", shown, *reply.ErrCode, robotErrClass(*reply.ErrCode))
	}
	return nil
}

// robotErrClass names a robot's error code in a few fixed words.
func robotErrClass(code int) string {
	switch code {
	case 93000, 300001, 400013, 400101, 40014:
		return "key or token not valid"
	case 310000:
		return "signature, timestamp, keyword or address refused"
	case 45009, 45033, 130101, 410100:
		return "too many messages"
	case 40008, 40058, 44004, 460101, 300005:
		return "message refused"
	case 93004, 400102:
		return "robot disabled"
	}
	return "refused"
}

// MaskURL shows a webhook URL as its host and the last 4 characters of it
// ("qyapi.weixin.qq.com …8d30"): enough to tell robots apart, never the key.
func MaskURL(raw string) string {
	if raw == "" {
		return ""
	}
	host := "?"
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		host = u.Host
	}
	return host + " …" + last4(raw)
}

// MaskSecret shows only the last 4 characters of a secret.
func MaskSecret(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 12 {
		return "••••"
	}
	return "••••" + last4(s)
}

func last4(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return string(r)
	}
	return string(r[len(r)-4:])
}
